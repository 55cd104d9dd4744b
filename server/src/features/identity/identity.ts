import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { BehaviourEvent, IdentifiedCollectBatch } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import { sitesTable, visitorsTable, type SiteRow } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { forgetCachedSites } from '../sites/index.js';

/** A new identity secret: 32 random bytes, base64url (what the customer's server keeps in its config). */
export const newIdentitySecret = () => `bks_${randomBytes(32).toString('base64url')}`;

/** What the customer's server computes: HMAC-SHA256(secret, userId) as lower-case hex. */
export const userHashOf = (secret: string, userId: string) =>
  createHmac('sha256', secret).update(userId, 'utf8').digest('hex');

/**
 * Constant-time check of a `userHash`. Hex is case-insensitive (PHP/Python/Node all print lower case;
 * an upper-case copy of the right digest is the same 32 bytes), but anything that is not exactly 64 hex
 * digits is wrong — blank included.
 */
export function userHashMatches(secret: string | null, userId: string, userHash: string): boolean {
  if (!secret || !/^[0-9a-f]{64}$/i.test(userHash)) return false;
  const expected = createHmac('sha256', secret).update(userId, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(userHash, 'hex'));
}

export interface IdentityCheck {
  /** The batch with every `userHash` removed (never stored). */
  batch: IdentifiedCollectBatch;
  /** The userId a valid hash vouched for (the last identify of the batch), if any. */
  verifiedUserId?: string;
  /** An identify named a user without a hash: any earlier verification no longer holds. */
  unverifiedUserId: boolean;
}

/**
 * Checks every `identify` of a batch before anything is stored. A wrong, blank or other site's hash, a
 * hash without a userId, or (when the site requires verified identity) an identify without a valid hash:
 * 401 for the whole batch, so nothing changes — no event, no identity, no verification.
 */
export function checkIdentity(
  site: Pick<SiteRow, 'identitySecret' | 'consent'>,
  batch: IdentifiedCollectBatch,
): IdentityCheck {
  let verifiedUserId: string | undefined;
  let unverifiedUserId = false;
  const events = batch.events.map((event): BehaviourEvent => {
    if (event.type !== 'identify') return event;
    const { userHash, ...traits } = event.traits;
    if (userHash !== undefined) {
      if (traits.userId === undefined || !userHashMatches(site.identitySecret, traits.userId, userHash)) {
        throw new AppError('unauthorized', 'The identity could not be verified (userHash)');
      }
      verifiedUserId = traits.userId;
    } else if (site.consent.requireVerifiedIdentity) {
      throw new AppError('unauthorized', 'This site accepts only verified identities: send userId with its userHash');
    } else if (traits.userId !== undefined) {
      unverifiedUserId = true;
      verifiedUserId = undefined;
    }
    return { ...event, traits };
  });
  return { batch: { ...batch, events }, ...(verifiedUserId !== undefined ? { verifiedUserId } : {}), unverifiedUserId };
}

/** After the batch committed: marks the visitor verified for that userId, or clears a stale mark. */
export async function recordVerification(
  db: Db,
  siteId: string,
  visitorId: string,
  check: IdentityCheck,
): Promise<void> {
  // Most batches carry no identity at all: the condition is built only when there is something to write.
  const visitor = () => and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, visitorId));
  if (check.verifiedUserId !== undefined) {
    await db
      .update(visitorsTable)
      .set({ verifiedAt: new Date() })
      .where(and(visitor(), eq(visitorsTable.userId, check.verifiedUserId)));
  } else if (check.unverifiedUserId) {
    await db.update(visitorsTable).set({ verifiedAt: null }).where(visitor());
  }
}

/** Generates or rotates a site's secret; the caller shows it once. */
export async function rotateIdentitySecret(db: Db, siteId: string): Promise<{ secret: string; rotatedAt: Date }> {
  const secret = newIdentitySecret();
  const [row] = await db
    .update(sitesTable)
    .set({ identitySecret: secret, identitySecretRotatedAt: sql`now()` })
    .where(eq(sitesTable.id, siteId))
    .returning({ rotatedAt: sitesTable.identitySecretRotatedAt });
  forgetCachedSites(db);
  return { secret, rotatedAt: row!.rotatedAt! };
}
