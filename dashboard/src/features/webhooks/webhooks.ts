import type { WebhookDelivery, WebhookEventType } from '@beckon/sdk/protocol';
import { t } from './i18n';

/** What each event means, next to its checkbox: catalogue keys (`t(eventDescriptions[type])`). */
export const eventDescriptions = {
  'lead.created': 'leadCreated',
  'lead.updated': 'leadUpdated',
  'lead.temperature_changed': 'leadTemperature',
  'callback.requested': 'callbackRequested',
  'callback.updated': 'callbackUpdated',
  'callback.overdue': 'callbackOverdue',
  'feedback.submitted': 'feedbackSubmitted',
  'conversation.closed': 'conversationClosed',
  'audience.entered': 'audienceEntered',
} as const satisfies Record<WebhookEventType, string>;

/** "Delivered", "Failed: HTTP 500", "Retrying in 4 min (HTTP 503)". */
export function deliveryStatusText(
  delivery: Pick<WebhookDelivery, 'status' | 'lastError' | 'nextAttemptAt' | 'attempts'>,
  now: number,
): string {
  if (delivery.status === 'delivered') return t('delivered');
  if (delivery.status === 'failed')
    return delivery.lastError ? t('failedWith', { error: delivery.lastError }) : t('failed');
  if (delivery.attempts === 0 || !delivery.nextAttemptAt) return t('sending');
  const seconds = Math.round((Date.parse(delivery.nextAttemptAt) - now) / 1000);
  const status =
    seconds <= 5
      ? t('retryingNow')
      : seconds < 60
        ? t('retryingSeconds', { count: seconds })
        : seconds < 3600
          ? t('retryingMinutes', { count: Math.round(seconds / 60) })
          : t('retryingHours', { count: Math.round(seconds / 3600) });
  return delivery.lastError ? t('withError', { status, error: delivery.lastError }) : status;
}

/** Every event, in the order above (the protocol's list stays out of the bundle: it carries zod). */
export const eventTypes = Object.keys(eventDescriptions) as WebhookEventType[];
