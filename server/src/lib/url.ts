/**
 * `new URL()` that answers null instead of throwing. Page URLs, referrers and Origin headers come from
 * visitors' browsers (or anyone with curl): `http://[`, `//` or `http://%zz/` must never turn a read of
 * that data into a 500.
 */
export function parseUrl(url: string | null | undefined, base?: string): URL | null {
  if (!url) return null;
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
}
