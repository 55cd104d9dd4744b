import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * The lazily imported half of `phone.ts`: libphonenumber-js with its small ("min") metadata, the same the
 * widget and the server parse with, in its own chunk (about 29 KB gzipped) off the dashboard's first load.
 */
export function internationalFormat(phone: string): string | undefined {
  const parsed = parsePhoneNumberFromString(phone);
  return parsed?.isPossible() ? parsed.formatInternational() : undefined;
}
