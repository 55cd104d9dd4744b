import {
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/min';

/**
 * Phone parsing for the callback form, in its own lazily imported chunk: libphonenumber-js with its
 * small ("min") metadata is loaded only when a visitor opens the callback form.
 */

/** The visitor's likely country: the region of their browser languages (`de-AT` → AT), else the language itself (`fr` → FR). */
export function detectCountry(languages: readonly string[]): CountryCode | undefined {
  const known = new Set<string>(getCountries());
  for (const tag of languages) {
    const region = tag.split(/[-_]/)[1]?.toUpperCase();
    if (region && known.has(region)) return region as CountryCode;
  }
  for (const tag of languages) {
    const language = tag.split(/[-_]/)[0]?.toUpperCase();
    if (language && language !== 'EN' && known.has(language)) return language as CountryCode;
  }
  return languages.some((tag) => tag.toLowerCase().startsWith('en')) ? 'US' : undefined;
}

export interface CountryOption {
  code: CountryCode;
  /** In the open list: "+44 United Kingdom". */
  label: string;
  /** On the closed picker, which is narrow on a phone: "GB +44". */
  short: string;
}

/**
 * Every country, named in the page's language and sorted by name. The label starts with the calling
 * code, so the narrow closed select still shows what matters (no flag emoji: Windows and many Linux
 * desktops draw those as boxes or letters).
 */
export function countryOptions(locale: string): CountryOption[] {
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([locale, 'en'], { type: 'region' });
  } catch {
    names = undefined;
  }
  return getCountries()
    .map((code) => ({ code, name: names?.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, locale))
    .map(({ code, name }) => ({
      code,
      label: `+${getCountryCallingCode(code)} ${name}`,
      short: `${code} +${getCountryCallingCode(code)}`,
    }));
}

/** E.164 for a valid number (typed nationally for `country`, or internationally with +), else null. */
export function toE164(input: string, country: CountryCode | undefined): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), country);
  return parsed?.isValid() ? parsed.number : null;
}

export type { CountryCode };
