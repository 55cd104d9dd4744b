import { describe, expect, it } from 'vitest';
import { webhookEventTypes } from '@beckon/sdk/protocol';
import { deliveryStatusText, eventTypes } from './webhooks';

describe('delivery status text', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it('says what happened and when the next try is', () => {
    expect(deliveryStatusText({ status: 'delivered', lastError: null, nextAttemptAt: null, attempts: 1 }, now)).toBe(
      'Delivered',
    );
    expect(
      deliveryStatusText({ status: 'failed', lastError: 'HTTP 500', nextAttemptAt: null, attempts: 12 }, now),
    ).toBe('Failed: HTTP 500');
    expect(
      deliveryStatusText(
        { status: 'pending', lastError: null, nextAttemptAt: '2026-11-22T12:00:00Z', attempts: 0 },
        now,
      ),
    ).toBe('Sending…');
    expect(
      deliveryStatusText(
        { status: 'pending', lastError: 'HTTP 503', nextAttemptAt: '2026-11-22T12:04:00Z', attempts: 3 },
        now,
      ),
    ).toBe('Retrying in 4 min (HTTP 503)');
    expect(
      deliveryStatusText(
        { status: 'pending', lastError: 'No answer within 10 s', nextAttemptAt: '2026-11-22T12:00:30Z', attempts: 1 },
        now,
      ),
    ).toBe('Retrying in 30 s (No answer within 10 s)');
  });
  it('has a description for every event an endpoint can choose', () => {
    expect([...eventTypes].sort()).toEqual([...webhookEventTypes].sort());
  });
});
