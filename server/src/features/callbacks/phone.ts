import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * The number in E.164 when libphonenumber-js (the same "min" metadata the widget uses, so both sides
 * agree) considers it a valid number of its country; otherwise null.
 */
export function validE164(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input);
  return parsed?.isValid() ? parsed.number : null;
}

/** True when the number starts with one of the site's blocked prefixes (e.g. premium-rate ranges). */
export const isBlockedNumber = (e164: string, prefixes: readonly string[]) =>
  prefixes.some((prefix) => e164.startsWith(prefix));
