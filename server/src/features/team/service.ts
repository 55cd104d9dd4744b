import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { AgentRole, TeamMember } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import { agentInvitesTable, agentsTable, siteMembersTable, sitesTable } from '../../db/schema.js';
import { hashPassword, randomToken, sha256 } from '../../lib/crypto.js';
import { AppError, notFound } from '../../lib/errors.js';
import { siteIdsOfAgents } from '../sites/index.js';
import type { AgentIdentity } from '../../app-env.js';

export const inviteTtlMs = 7 * 24 * 60 * 60 * 1000;

export async function listTeam(db: Db): Promise<TeamMember[]> {
  const agents = await db.select().from(agentsTable).orderBy(asc(agentsTable.createdAt));
  const sites = await siteIdsOfAgents(
    db,
    agents.map((agent) => agent.id),
  );
  return agents.map((agent) => ({
    id: agent.id,
    email: agent.email,
    name: agent.name,
    role: agent.role,
    siteIds: sites.get(agent.id) ?? [],
    status: agent.passwordHash ? 'active' : 'invited',
  }));
}

async function assertSitesExist(db: Db, siteIds: string[]) {
  const unique = [...new Set(siteIds)];
  for (const siteId of unique) {
    const [site] = await db.select({ id: sitesTable.id }).from(sitesTable).where(eq(sitesTable.id, siteId));
    if (!site)
      throw new AppError('validation_failed', 'Unknown site', [{ path: ['siteIds'], message: `no site ${siteId}` }]);
  }
  return unique;
}

/** Creates the agent without a password plus a one-time token; the link is shown once to the admin. */
export async function inviteAgent(
  db: Db,
  invitedBy: string,
  input: { email: string; name: string; role: AgentRole; siteIds: string[] },
  now = new Date(),
) {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + inviteTtlMs);
  const agent = await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: agentsTable.id })
      .from(agentsTable)
      .where(eq(agentsTable.email, input.email));
    if (existing) throw new AppError('conflict', `${input.email} is already on the team`, { field: 'email' });
    const [row] = await tx
      .insert(agentsTable)
      .values({ email: input.email, name: input.name, role: input.role })
      .returning({ id: agentsTable.id, email: agentsTable.email, name: agentsTable.name, role: agentsTable.role });
    const siteIds = [...new Set(input.siteIds)];
    if (siteIds.length > 0)
      await tx.insert(siteMembersTable).values(siteIds.map((siteId) => ({ siteId, agentId: row!.id })));
    await tx.insert(agentInvitesTable).values({ tokenHash: sha256(token), agentId: row!.id, invitedBy, expiresAt });
    return row!;
  });
  return { agent, acceptUrl: `/app/accept-invite?token=${token}`, expiresAt: expiresAt.toISOString() };
}

export async function validateInviteSites(db: Db, siteIds: string[]) {
  return assertSitesExist(db, siteIds);
}

/** Sets the invited agent's password and burns the token, atomically. */
export async function acceptInvite(db: Db, token: string, password: string, now = new Date()): Promise<AgentIdentity> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .update(agentInvitesTable)
      .set({ usedAt: now })
      .where(
        and(
          eq(agentInvitesTable.tokenHash, sha256(token)),
          isNull(agentInvitesTable.usedAt),
          gt(agentInvitesTable.expiresAt, now),
        ),
      )
      .returning({ agentId: agentInvitesTable.agentId });
    if (!invite)
      throw new AppError('not_found', 'This invitation link is invalid, used or expired; ask an admin for a new one');
    const [agent] = await tx
      .update(agentsTable)
      .set({ passwordHash })
      .where(eq(agentsTable.id, invite.agentId))
      .returning({ id: agentsTable.id, email: agentsTable.email, name: agentsTable.name, role: agentsTable.role });
    return agent!;
  });
}

/** Replaces an agent's site memberships; returns which sites were added and removed. */
export async function setAgentSites(db: Db, agentId: string, siteIds: string[]) {
  const wanted = await assertSitesExist(db, siteIds);
  return db.transaction(async (tx) => {
    const [agent] = await tx.select({ id: agentsTable.id }).from(agentsTable).where(eq(agentsTable.id, agentId));
    if (!agent) throw notFound('Agent');
    const current = (
      await tx
        .select({ siteId: siteMembersTable.siteId })
        .from(siteMembersTable)
        .where(eq(siteMembersTable.agentId, agentId))
    ).map((row) => row.siteId);
    const added = wanted.filter((id) => !current.includes(id));
    const removed = current.filter((id) => !wanted.includes(id));
    for (const siteId of removed) {
      await tx
        .delete(siteMembersTable)
        .where(and(eq(siteMembersTable.agentId, agentId), eq(siteMembersTable.siteId, siteId)));
    }
    if (added.length > 0) await tx.insert(siteMembersTable).values(added.map((siteId) => ({ siteId, agentId })));
    return { added, removed };
  });
}
