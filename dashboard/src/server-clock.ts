/**
 * The server's clock, as this browser can tell it. The dashboard compares the server's timestamps with
 * "now" ("seen 2 min ago", time on site, who has left the live Visitors list): with the agent's computer
 * minutes off, each of those would be minutes wrong. Every API answer carries the server's time in its
 * `Date` header (whole seconds); the offset learned from it corrects the local clock.
 */
let offsetMs = 0;

const headerResolutionMs = 1000;

/** Learns the offset from one answer's `Date` header, sent at `sentAt` and received at `receivedAt` (local ms). */
export function observeServerDate(dateHeader: string | null, sentAt: number, receivedAt: number): void {
  const serverMs = dateHeader ? Date.parse(dateHeader) : Number.NaN;
  if (!Number.isFinite(serverMs)) return;
  // The header drops the milliseconds, and the server read its clock somewhere in the round trip.
  const estimate = serverMs + headerResolutionMs / 2 - (sentAt + receivedAt) / 2;
  const uncertainty = headerResolutionMs / 2 + (receivedAt - sentAt) / 2;
  // Within that, the clocks agree as far as anyone can tell: keep the local one (it has milliseconds).
  offsetMs = Math.abs(estimate) <= uncertainty ? 0 : Math.round(estimate);
}

/** Now, on the server's clock (ms since the epoch). */
export const serverNow = (): number => Date.now() + offsetMs;

/** Back to trusting the local clock (tests; a new server). */
export function resetServerClock(): void {
  offsetMs = 0;
}
