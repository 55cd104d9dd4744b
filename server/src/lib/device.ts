import type { DeviceClass } from '@beckon/sdk/protocol';

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
