import { describe, expect, it } from 'vitest';
import type { Callback } from '@beckon/sdk/protocol';
import { alertFor } from './alerts';

const callback = {
  id: 'c1',
  phone: '+4930901820',
  name: 'Vera',
  mode: 'now',
  dueAt: '2026-11-23T10:05:00Z',
} as Callback;

describe('alertFor', () => {
  it('rings for new requests and for each missed deadline, not for other updates', () => {
    expect(alertFor(callback, 'new')).toEqual({ key: 'new:c1', title: 'Call back now: Vera (+4930901820)' });
    expect(alertFor({ ...callback, mode: 'scheduled', name: null }, 'new')!.title).toBe('Callback booked: +4930901820');
    expect(alertFor(callback, 'overdue')!.key).toBe('overdue:c1:2026-11-23T10:05:00Z');
    // A retry has a new deadline, so missing it rings again.
    expect(alertFor({ ...callback, dueAt: '2026-11-23T11:00:00Z' }, 'overdue')!.key).not.toBe(
      alertFor(callback, 'overdue')!.key,
    );
    expect(alertFor(callback, 'updated')).toBeNull();
  });
});
