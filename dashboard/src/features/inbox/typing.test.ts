import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTypingSignal } from './typing';

describe('createTypingSignal', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends typing at most every 2 s while typing, then false after 3 s idle', () => {
    const sent: boolean[] = [];
    const typing = createTypingSignal((t) => sent.push(t));
    for (let i = 0; i < 10; i++) {
      typing.input('h'.repeat(i + 1));
      vi.advanceTimersByTime(300);
    }
    // 3 s of typing: true at 0 and at 2.1 s.
    expect(sent).toEqual([true, true]);
    vi.advanceTimersByTime(3000);
    expect(sent).toEqual([true, true, false]);
  });

  it('stops at once on send or an emptied composer, and only once', () => {
    const sent: boolean[] = [];
    const typing = createTypingSignal((t) => sent.push(t));
    typing.input('hi');
    typing.stop();
    typing.stop();
    typing.input('');
    expect(sent).toEqual([true, false]);
    typing.input('again');
    typing.input('');
    expect(sent).toEqual([true, false, true, false]);
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(4);
  });
});
