import type { WebhookDelivery, WebhookEventType } from '@beckon/sdk/protocol';

/** What each event means, next to its checkbox. */
export const eventDescriptions: Record<WebhookEventType, string> = {
  'lead.created': 'A new person left a phone number or email',
  'lead.updated': 'A lead came back, or an agent changed its status, assignee or note',
  'lead.temperature_changed': 'Scoring moved a lead between cold, warm and hot',
  'callback.requested': 'A visitor asked to be called (everything a PBX needs to dial)',
  'callback.updated': 'An agent took a callback or recorded its outcome',
  'callback.overdue': 'A callback missed its deadline',
  'feedback.submitted': 'An NPS, CSAT or feedback answer arrived',
  'conversation.closed': 'A chat was closed',
  'audience.entered': 'A visitor who allowed marketing entered an audience (server-side conversion, instead of pixels)',
};

/** "Delivered", "Failed: HTTP 500", "Retrying in 4 min (HTTP 503)". */
export function deliveryStatusText(delivery: Pick<WebhookDelivery, 'status' | 'lastError' | 'nextAttemptAt' | 'attempts'>, now: number): string {
  if (delivery.status === 'delivered') return 'Delivered';
  if (delivery.status === 'failed') return `Failed${delivery.lastError ? `: ${delivery.lastError}` : ''}`;
  if (delivery.attempts === 0 || !delivery.nextAttemptAt) return 'Sending…';
  const seconds = Math.round((Date.parse(delivery.nextAttemptAt) - now) / 1000);
  const wait = seconds <= 5 ? 'now' : seconds < 60 ? `in ${seconds} s` : seconds < 3600 ? `in ${Math.round(seconds / 60)} min` : `in ${Math.round(seconds / 3600)} h`;
  return `Retrying ${wait}${delivery.lastError ? ` (${delivery.lastError})` : ''}`;
}

/** Every event, in the order above (the protocol's list stays out of the bundle: it carries zod). */
export const eventTypes = Object.keys(eventDescriptions) as WebhookEventType[];
