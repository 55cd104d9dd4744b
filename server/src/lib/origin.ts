/** True when `origin` (as a browser sent it) is in the list; `https://*.example.com` allows subdomains. */
export function isOriginAllowed(origin: string | undefined | null, allowed: readonly string[]): boolean {
  if (!origin || origin === 'null') return false;
  const normalised = origin.toLowerCase();
  for (const entry of allowed) {
    if (entry === normalised) return true;
    const wildcard = /^(https?:\/\/)\*\.(.+)$/.exec(entry);
    if (wildcard) {
      const [, scheme, rest] = wildcard;
      if (normalised.startsWith(scheme!) && normalised.slice(scheme!.length).endsWith(`.${rest}`)) return true;
    }
  }
  return false;
}

/** The headers a browser sends that say which page made a request. */
export interface RequestSource {
  secFetchSite?: string | undefined;
  origin?: string | undefined;
  host?: string | undefined;
}

/**
 * Whether a request was made by a page of this server itself (the dashboard), the rule Go 1.25's
 * `CrossOriginProtection` uses. `Sec-Fetch-Site` (every current browser sends it) decides when present:
 * `same-origin`, or `none` for the user's own navigation. Otherwise `Origin` must name this host (or
 * `publicOrigin`, the configured public URL). A request with neither header was not made by a web page
 * (curl, scripts, server-to-server), so a foreign site cannot have forged it: it passes.
 */
export function isSameOriginRequest({ secFetchSite, origin, host }: RequestSource, publicOrigin?: string): boolean {
  if (secFetchSite) return secFetchSite === 'same-origin' || secFetchSite === 'none';
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return (host !== undefined && url.host === host.toLowerCase()) || url.origin === publicOrigin;
  } catch {
    // `null` (sandboxed frames, some redirects) and garbage name no page of ours.
    return false;
  }
}

/**
 * The origin of the page behind a socket handshake. Browsers send `Origin` on every WebSocket and on every
 * cross-origin long-polling request, but not on a same-origin GET: a widget on a page of this server (the demo
 * shop) falling back to long-polling would look like no page at all. For those (`Sec-Fetch-Site: same-origin`,
 * which a foreign page cannot send) the `Referer`'s origin names the page.
 */
export function pageOrigin(headers: {
  origin?: string | undefined;
  referer?: string | undefined;
  'sec-fetch-site'?: string | string[] | undefined;
}): string | undefined {
  if (headers.origin) return headers.origin;
  if (headers['sec-fetch-site'] !== 'same-origin' || !headers.referer) return undefined;
  try {
    return new URL(headers.referer).origin;
  } catch {
    return undefined;
  }
}
