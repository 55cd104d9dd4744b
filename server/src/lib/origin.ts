/** True when `origin` (as a browser sent it) is in the list; `https://*.example.com` allows subdomains. */
export function isOriginAllowed(origin: string | undefined | null, allowed: readonly string[]): boolean {
  if (!origin || origin === 'null') return false;
  const normalised = origin.toLowerCase();
  for (const entry of allowed) {
    if (entry === normalised) return true;
    const wildcard = /^(https?:\/\/)\*\.(.+)$/.exec(entry);
    if (wildcard) {
      const [, scheme, rest] = wildcard;
      if (normalised.startsWith(scheme!) && normalised.slice(scheme!.length).endsWith('.' + rest)) return true;
    }
  }
  return false;
}
