import { AppError } from '../../lib/errors.js';
import type { RateLimiter, RateLimitRule } from '../../lib/rate-limit.js';

const minute = 60_000;
const hour = 60 * minute;

/** How many new conversations visitors may open (README, "Security"). */
export interface ChatOpeningLimits {
  /** Per site and address, a burst: 60 sockets opened in a second stop at the first few. */
  burstPerAddress: RateLimitRule;
  /** Per site and address, the long window (Chatwoot allows 6 per 12 h; offices and mobile carriers share addresses). */
  perAddress: RateLimitRule;
  /** Per site, whatever the address: bounds a flood from many addresses. */
  perSite: RateLimitRule;
}

/**
 * The limits from `BECKON_CHAT_OPENINGS_PER_ADDRESS` (per 12 h, default 20; the burst is a quarter of
 * it, at least 5, per 10 minutes) and `BECKON_CHAT_OPENINGS_PER_SITE` (per hour, default 500).
 */
export function chatOpeningLimits({
  perAddress = 20,
  perSite = 500,
}: {
  perAddress?: number;
  perSite?: number;
} = {}): ChatOpeningLimits {
  return {
    burstPerAddress: { limit: Math.max(5, Math.ceil(perAddress / 4)), windowMs: 10 * minute },
    perAddress: { limit: perAddress, windowMs: 12 * hour },
    perSite: { limit: perSite, windowMs: hour },
  };
}

const messages = {
  address: 'You have started several conversations in a short time; please try again later.',
  site: 'We are receiving too many new conversations right now; please try again in a few minutes.',
};

/**
 * Conversation openings per site and address and per site. An opening is *taken* before the send that
 * may open a conversation and given back if the send opened none, so a burst of first messages cannot
 * all pass before any of them is counted.
 */
export function conversationOpenings(limiter: RateLimiter, limits: ChatOpeningLimits) {
  const rulesOf = (siteId: string, ip: string) =>
    [
      [`chat-open:burst:${siteId}:${ip}`, limits.burstPerAddress, 'address'],
      [`chat-open:ip:${siteId}:${ip}`, limits.perAddress, 'address'],
      [`chat-open:site:${siteId}`, limits.perSite, 'site'],
    ] as const;

  return {
    /**
     * Takes one opening and returns how to give it back; when a limit is used up, takes nothing and
     * throws `too_many_conversations` with `retryAfterSeconds` and the `scope` that ran out.
     */
    async take(siteId: string, ip: string): Promise<() => Promise<void>> {
      const rules = rulesOf(siteId, ip);
      const keys = rules.map(([key]) => key);
      const giveBack = () => limiter.release(...keys);
      // Every counter in one round trip; if any ran out, the hits on all of them are given back.
      const retryAfter = await limiter.hitAll(rules);
      const over = retryAfter.findIndex((seconds) => seconds > 0);
      if (over >= 0) {
        await giveBack();
        const scope = rules[over]![2];
        throw new AppError('too_many_conversations', messages[scope], { retryAfterSeconds: retryAfter[over]!, scope });
      }
      return giveBack;
    },
    /** Counts an opening that was not taken first (the conversation the socket knew of had closed). */
    async count(siteId: string, ip: string): Promise<void> {
      await limiter.hitAll(rulesOf(siteId, ip));
    },
  };
}
