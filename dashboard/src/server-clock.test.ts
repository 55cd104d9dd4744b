import { afterEach, describe, expect, it, vi } from 'vitest';
import { observeServerDate, resetServerClock, serverNow } from './server-clock';

describe('the server clock', () => {
  afterEach(() => {
    resetServerClock();
    vi.useRealTimers();
  });

  it("follows the server's Date header when the local clock is minutes off", () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T10:00:00.000Z') });
    // The agent's computer is 7 minutes behind: the server answers 10:07:00 while the local clock says 10:00.
    observeServerDate('Mon, 23 Nov 2026 10:07:00 GMT', Date.now() - 40, Date.now());
    expect(Math.abs(serverNow() - Date.parse('2026-11-23T10:07:00.500Z'))).toBeLessThanOrEqual(20);
    vi.advanceTimersByTime(60_000);
    expect(Math.abs(serverNow() - Date.parse('2026-11-23T10:08:00.500Z'))).toBeLessThanOrEqual(20);
  });

  it('keeps the local clock when the difference is within what the header can tell', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T10:00:00.300Z') });
    observeServerDate('Mon, 23 Nov 2026 10:00:00 GMT', Date.now() - 20, Date.now());
    expect(serverNow()).toBe(Date.now());
  });

  it('ignores answers without a usable Date header', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T10:00:00.000Z') });
    observeServerDate('Mon, 23 Nov 2026 10:07:00 GMT', Date.now(), Date.now());
    const learned = serverNow() - Date.now();
    observeServerDate(null, Date.now(), Date.now());
    observeServerDate('not a date', Date.now(), Date.now());
    expect(serverNow() - Date.now()).toBe(learned);
  });
});
