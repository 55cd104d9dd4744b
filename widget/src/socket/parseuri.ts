/**
 * engine.io-client's URI parser (`contrib/parseuri.js`) on the browser's `URL`, bundled in the widget in
 * place of the original (see vite.text-socket.ts), which carries a 400-character regular expression and
 * IPv6 workarounds for platforms without `URL`; every browser the widget supports has it.
 *
 * socket.io-client and engine.io-client read `source`, `protocol`, `host`, `port`, `path`, `query` and
 * `queryKey` of the result; those are the same as the original's for the absolute http(s)/ws(s) URLs they
 * parse (`parseuri.test.ts` compares them), but for a port the scheme implies, which `URL` leaves out and
 * both libraries then fill in with the same default ('443' or '80'), and for no path, which `URL` reads as
 * '/', as socket.io-client's `url()` does with the original's ''.
 */
export interface ParsedUri {
  source: string;
  protocol: string;
  host: string;
  port: string;
  path: string;
  query: string;
  queryKey: Record<string, string>;
}

export function parse(source: string): ParsedUri {
  // engine.io-client parses a bare `host[:port]` when given `host` without a URI (the widget never does).
  const url = new URL(/^(https?|wss?):\/\//.test(source) ? source : `https://${source}`);
  const query = url.search.slice(1);
  const queryKey: Record<string, string> = {};
  // As the original: raw (undecoded) values, keys without a value as ''.
  query.replace(/(?:^|&)([^&=]*)=?([^&]*)/g, (_match, key: string, value: string) => {
    if (key) queryKey[key] = value;
    return '';
  });
  return {
    source,
    protocol: url.protocol.slice(0, -1),
    // IPv6 hosts without their brackets, as the original gives them.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port,
    path: url.pathname,
    query,
    queryKey,
  };
}
