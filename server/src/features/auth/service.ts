import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agentSessionsTable, agentsTable } from '../../db/schema.js';
import { dummyPasswordHash, randomToken, sha256, verifyPassword } from '../../lib/crypto.js';
import type { AgentIdentity, AuthedSession } from '../../app-env.js';

export const sessionCookie = 'beckon_session';
export const sessionTtlMs = 14 * 24 * 60 * 60 * 1000;

const identityColumns = {
  id: agentsTable.id,
  email: agentsTable.email,
  name: agentsTable.name,
  role: agentsTable.role,
};

/** An account that can log in (it has a password), with its hash; null for unknown emails. */
export async function findLoginAccount(
  db: Db,
  email: string,
): Promise<(AgentIdentity & { passwordHash: string }) | null> {
  const [row] = await db
    .select({ ...identityColumns, passwordHash: agentsTable.passwordHash })
    .from(agentsTable)
    .where(eq(agentsTable.email, email));
  return row?.passwordHash ? { ...row, passwordHash: row.passwordHash } : null;
}

/** Checks a password; unknown accounts cost the same time as wrong passwords so they cannot be probed. */
export async function checkPassword(
  account: (AgentIdentity & { passwordHash: string }) | null,
  password: string,
): Promise<AgentIdentity | null> {
  if (!account) {
    await verifyPassword(password, await dummyPasswordHash());
    return null;
  }
  if (!(await verifyPassword(password, account.passwordHash))) return null;
  const { passwordHash: _omit, ...agent } = account;
  return agent;
}

/** Creates a server-side session; the returned token goes only into the httpOnly cookie. */
export async function createSession(db: Db, agentId: string, now = new Date()) {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const [session] = await db
    .insert(agentSessionsTable)
    .values({ tokenHash: sha256(token), agentId, csrfToken, expiresAt: new Date(now.getTime() + sessionTtlMs) })
    .returning({ id: agentSessionsTable.id, expiresAt: agentSessionsTable.expiresAt });
  return { token, csrfToken, id: session!.id, expiresAt: session!.expiresAt };
}

/** The agent behind a cookie value, if the session exists, is not revoked and has not expired. */
export async function findSession(
  db: Db,
  token: string | undefined,
  now = new Date(),
): Promise<{ agent: AgentIdentity; session: AuthedSession } | null> {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({ ...identityColumns, sessionId: agentSessionsTable.id, csrfToken: agentSessionsTable.csrfToken })
    .from(agentSessionsTable)
    .innerJoin(agentsTable, eq(agentsTable.id, agentSessionsTable.agentId))
    .where(
      and(
        eq(agentSessionsTable.tokenHash, sha256(token)),
        isNull(agentSessionsTable.revokedAt),
        gt(agentSessionsTable.expiresAt, now),
      ),
    );
  if (!row) return null;
  const { sessionId, csrfToken, ...agent } = row;
  return { agent, session: { id: sessionId, csrfToken } };
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.update(agentSessionsTable).set({ revokedAt: new Date() }).where(eq(agentSessionsTable.id, sessionId));
}

/** Parses one cookie out of a `Cookie` header (socket.io handshakes have no Hono helper). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
