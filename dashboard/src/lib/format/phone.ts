import { useEffect, useState } from 'preact/hooks';

/**
 * Phone numbers as agents read and dial them: the server stores and sends E.164 (`+4930901820`), which is
 * hard to read aloud or type on a desk phone, so the dashboard shows the international format
 * (`+49 30 901820`). The formatter is a separate chunk fetched after sign-in; until it arrives (or if it
 * never does) numbers show as E.164, which is still correct. `tel:` links and CSV exports keep E.164.
 */
let format: ((phone: string) => string | undefined) | undefined;
let loading: Promise<void> | undefined;

export function loadPhoneFormat(): Promise<void> {
  loading ??= import('./phone-format').then(
    (module) => {
      format = module.internationalFormat;
    },
    (error: unknown) => {
      // A failed fetch (offline, a deploy replaced the chunk) leaves E.164 on screen; the next sign-in retries.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

// E.164 as the server writes it: "+", then 7 to 15 digits, the first not 0.
const e164 = /^\+[1-9]\d{6,14}$/;
const e164InText = /\+[1-9]\d{6,14}\b/g;

/** A phone number as the agent reads it; anything that is not E.164 (or before the formatter loaded) as it is. */
export function shownPhone(phone: string): string {
  return (e164.test(phone) && format?.(phone)) || phone;
}

/** Every E.164 number in server-written text ("Asked to be called on +4930901820 at …") as the agent reads it. */
export function withShownPhones(text: string): string {
  return format ? text.replace(e164InText, shownPhone) : text;
}

/**
 * Fetches the formatter and re-renders the calling component (the signed-in app's root, so every page
 * below it) once it arrived, the way a language change does, but without remounting anything.
 */
export function usePhoneFormat(): void {
  const [, setLoaded] = useState(format !== undefined);
  useEffect(() => {
    if (format) return;
    let mounted = true;
    loadPhoneFormat().then(
      () => mounted && setLoaded(true),
      () => undefined,
    );
    return () => {
      mounted = false;
    };
  }, []);
}
