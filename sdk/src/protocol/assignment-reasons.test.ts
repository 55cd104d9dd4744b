import { describe, expect, it } from 'vitest';
import { assignmentCause, turnedHotReason, unansweredReason } from './assignment-reasons.js';

describe('assignment reasons', () => {
  it('keeps the English the API and webhooks return', () => {
    expect(unansweredReason(120)).toBe('no reply within 120 s: reassigned');
    expect(turnedHotReason).toBe('visitor turned hot: routed again');
  });

  it('tells which automatic reason a stored reason is', () => {
    expect(assignmentCause(unansweredReason(90))).toEqual({ kind: 'unanswered', seconds: 90 });
    expect(assignmentCause(turnedHotReason)).toEqual({ kind: 'turned_hot' });
    for (const other of [null, undefined, '', 'round-robin among online agents', 'speaks German', 'no reply within s'])
      expect(assignmentCause(other)).toBeNull();
  });
});
