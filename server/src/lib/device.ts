import type { DeviceClass } from '@beckon/sdk/protocol';
import { isbot } from 'isbot';

/**
 * A browser's device class from its user agent, for `device` scoring conditions. Coarse on purpose:
 * phones say "Mobi" (the convention every major mobile browser follows), Android without it is a
 * tablet, iPads either say so or (since iPadOS 13) pose as a Mac — those stay desktop, as the page
 * itself then renders for a desktop.
 */
export function deviceClassOf(userAgent: string): DeviceClass {
  if (/Mobi|iPhone|iPod|Windows Phone/i.test(userAgent)) return 'mobile';
  if (/iPad|Tablet|Android|Silk|Kindle/i.test(userAgent)) return 'tablet';
  return 'desktop';
}

/** What the public endpoints read off a user agent: a crawler's (never stored) or a browser's device class. */
export interface UserAgentReading {
  bot: boolean;
  device: DeviceClass;
}

// Browsers repeat a few hundred user-agent strings, and `isbot`'s one large pattern was 1–2 % of the node's
// CPU in bench:ingest: readings are kept per string. Bounded twice: a string longer than any real browser's
// is read every time, and a full map starts over (a crawler inventing strings only costs the reads).
const readings = new Map<string, UserAgentReading>();
const maxReadings = 1_000;
const maxKeptLength = 512;

export function readUserAgent(userAgent: string): UserAgentReading {
  const known = readings.get(userAgent);
  if (known) return known;
  const reading = { bot: isbot(userAgent), device: deviceClassOf(userAgent) };
  if (userAgent.length <= maxKeptLength) {
    if (readings.size >= maxReadings) readings.clear();
    readings.set(userAgent, reading);
  }
  return reading;
}
