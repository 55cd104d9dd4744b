import type { LeadTimelineEntry } from '@beckon/sdk/protocol';
import { fullTime, shownPhone, withLocalTimes } from '../../lib/format';
import { t } from './i18n';

type Key = Parameters<typeof t>[0];

const outcomeKeys: Record<string, Key> = {
  reached: 'outcomeReached',
  no_answer: 'outcomeNoAnswer',
  wrong_number: 'outcomeWrongNumber',
  converted: 'outcomeConverted',
  not_interested: 'outcomeNotInterested',
};

const given = (value: unknown) => (typeof value === 'string' && value.trim() ? value : null);
/** A visitor's words, shortened for one line of the timeline or the table. */
const quote = (text: string, max = 140) =>
  t('quoted', { text: text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text });

/**
 * What a touch says, in the agent's language, from its `kind` and `data` (see `LeadTimelineEntry`):
 * the server stores the values, not a sentence in one language. A touch whose data lacks what its
 * kind needs (an unknown kind, a row from an older server) shows its stored English `summary`.
 */
export function touchText(
  touch: Pick<Extract<LeadTimelineEntry, { type: 'touch' }>, 'kind' | 'summary'> & {
    data?: Record<string, unknown> | undefined;
  },
): string {
  const data = touch.data ?? {};
  switch (touch.kind) {
    case 'callback.requested': {
      const number = given(data.phone);
      const phone = number && shownPhone(number);
      const at = given(data.requestedAt);
      if (phone && data.mode === 'now') return t('touchTextCallNow', { phone });
      if (phone && data.mode === 'scheduled' && at) return t('touchTextCallAt', { phone, time: fullTime(at) });
      break;
    }
    case 'callback.outcome': {
      const outcome = typeof data.outcome === 'string' ? outcomeKeys[data.outcome] : undefined;
      const agent = given(data.agentName);
      if (!outcome || !agent) break;
      const retry = given(data.retryAt);
      const note = given(data.note);
      return [
        t('touchTextOutcome', { outcome: t(outcome), agent }),
        retry && t('touchTextRetry', { time: fullTime(retry) }),
        note && quote(note),
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'feedback.submitted': {
      const score = typeof data.score === 'number' ? data.score : null;
      const text = given(data.text);
      const rating =
        data.kind === 'nps' && score !== null
          ? t('touchTextNps', { score })
          : data.kind === 'csat' && score !== null
            ? t('touchTextCsat', { score })
            : null;
      if (!rating && !text) break;
      return [rating, text && quote(text)].filter(Boolean).join(' · ');
    }
    case 'chat.started':
    case 'chat.offline_message': {
      const text = given(data.text);
      if (text) return quote(text);
      break;
    }
  }
  return withLocalTimes(touch.summary);
}
