/**
 * First-party storage, used only after the visitor's consent (the gate in ./consent.ts decides).
 * Every access is guarded: storage can throw (Safari private mode, sandboxed iframes, full quota).
 */

const local = (): Storage | undefined => {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
};

export function readJson<T>(key: string): T | undefined {
  try {
    const text = local()?.getItem(key);
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function writeJson(key: string, value: unknown): void {
  try {
    local()?.setItem(key, JSON.stringify(value));
  } catch {
    // Storage refused: ids stay in memory for this page, which is still correct, only less durable.
  }
}

export function remove(key: string): void {
  try {
    local()?.removeItem(key);
  } catch {
    // Nothing stored, nothing to remove.
  }
}

const hasDocument = () => typeof document !== 'undefined';

export function readCookie(name: string): string | undefined {
  if (!hasDocument()) return;
  for (const part of document.cookie.split(';')) {
    const at = part.indexOf('=');
    if (part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
}

/**
 * `Path=/`, `SameSite=Lax`, and `Secure` on https; a negative `maxAgeS` deletes the cookie (RFC 6265).
 * Ids and segment lists (`hot,pricing`) are written as they are, so the site's own ad tags read them
 * without decoding; anything else is URL-encoded.
 */
export function writeCookie(name: string, value: string, maxAgeS: number): void {
  if (!hasDocument()) return;
  if (!/^[\w,-]*$/.test(value)) value = encodeURIComponent(value);
  const secure = typeof location !== 'undefined' && location.protocol === 'https:' ? ';Secure' : '';
  // biome-ignore lint/suspicious/noDocumentCookie: the first-party id cookies are set here, once; Cookie Store API is not in every browser we support.
  document.cookie = `${name}=${value};Max-Age=${maxAgeS};Path=/;SameSite=Lax${secure}`;
}
