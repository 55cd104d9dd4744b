import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { edit } from './vite.unused-options.js';

const require = createRequire(import.meta.url);
/** socket.io-client's browser build and the engine.io packages it resolves (the sdk's dependency). */
const clientDir = dirname(require.resolve('socket.io-client/package.json'));
const fromClient = createRequire(`${clientDir}/package.json`);
const client = `${clientDir}/build/esm/`;
const engineClient = `${dirname(fromClient.resolve('engine.io-client/package.json'))}/build/esm/`;
// engine.io-parser exports no package.json: from its CommonJS entry (build/cjs/index.js) to its ES build.
const engineParser = `${dirname(
  dirname(createRequire(fromClient.resolve('engine.io-client/package.json')).resolve('engine.io-parser')),
)}/esm/`;
/** engine.io-client's modules on the WebSocket path (long-polling and WebTransport import more). */
const textImporters = ['socket.js', 'transport.js', 'transports/websocket.js'];
const replacement = (file: string) => fileURLToPath(new URL(`./src/socket/${file}`, import.meta.url));

/**
 * socket.io-client with text-only parsers: the widget's socket carries JSON text and nothing else (the
 * server sends visitors JSON protocol types only, and the chat client emits plain objects), so socket.io's
 * packet parser and engine.io's packet codecs come without their binary halves (`src/socket/`, each tested
 * against the real one). socket.io-client, engine.io-client and the protocol stay the libraries' own; only
 * the parsers they import are swapped, in this build alone. Measured (gzip -9): the chat chunk 16,128 -> 14,365 bytes
 * (socket.io-parser alone 900, the engine.io codecs 384, engine.io-parser's entry moved to the polling chunk 420,
 * which grows by 125).
 *
 * The same goes for engine.io-client's URI parser, whose regular expression and IPv6 workarounds stand in for
 * `URL` on platforms without it: `src/socket/parseuri.ts` reads the same fields with `URL` (chat chunk 14,180 ->
 * 13,806 bytes).
 */
export function textSocket(): Plugin {
  return {
    name: 'beckon:text-socket',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer) return null;
      if (source === 'socket.io-parser' && importer.startsWith(client)) return replacement('socket-io-parser.ts');
      // engine.io-client's socket and WebSocket transport need the packet codecs and the protocol version only;
      // engine.io-parser's entry (with the payload codecs of long-polling) then goes into the polling chunk alone.
      if (source === 'engine.io-parser' && textImporters.some((file) => importer === `${engineClient}${file}`))
        return replacement('engine-io-packet.ts');
      if (source === './contrib/parseuri.js' && importer.startsWith(engineClient)) return replacement('parseuri.ts');
      if ((source === './encodePacket.js' || source === './decodePacket.js') && importer === `${engineParser}index.js`)
        return replacement('engine-io-packet.ts');
      return null;
    },
    /**
     * The manager takes socket.io-parser as a namespace (`import * as parser`) for its two classes, which makes the
     * bundle build a namespace object of the parser module; named imports give it the same two classes without
     * (chat chunk 12,051 -> 11,958 bytes gzipped). A `parser` option still wins, as in the library.
     */
    transform(code, id) {
      if (id !== `${client}manager.js`) return null;
      let next = code;
      for (const change of [
        ['import * as parser from "socket.io-parser";', 'import { Encoder, Decoder } from "socket.io-parser";'],
        ['const _parser = opts.parser || parser;', 'const _parser = opts.parser || { Encoder, Decoder };'],
      ] as [string, string][]) {
        const edited = edit(next, change);
        if (edited === undefined) this.error(`${id} no longer has \`${change[0]}\` once: update vite.text-socket.ts`);
        next = edited;
      }
      return { code: next, map: null };
    },
  };
}

/**
 * For `build.rolldownOptions.treeshake.moduleSideEffects`: engine.io-parser's entry and its tables only define
 * functions and constants. Marked free of side effects, they leave the chat chunk, which does not use them
 * since the packet codecs come from `src/socket/`, and go where long-polling's payload codecs need them.
 */
export const engineParserHasNoSideEffects = (id: string): boolean =>
  !(id === `${engineParser}index.js` || id === `${engineParser}commons.js`);
