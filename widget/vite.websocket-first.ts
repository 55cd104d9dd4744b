import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);
/** engine.io-client's browser build, as socket.io-client (the sdk's dependency) resolves it. */
const engine = `${dirname(
  createRequire(require.resolve('socket.io-client/package.json')).resolve('engine.io-client/package.json'),
)}/build/esm/`;
const websocketTransports = '\0beckon:websocket-transports';

/**
 * socket.io-client without HTTP long-polling in the bundle, for sockets opened WebSocket first with
 * `@beckon/sdk/chat`'s `fallBackToPolling` (the widget's chat, the dashboard's `/agent` socket).
 *
 * engine.io-client's `Socket` creates transports by name from a table of every transport it has
 * (`transports/index.js`), so whatever `transports` says, all of them are bundled. Here that table holds
 * the WebSocket transport only; `fallBackToPolling` hands socket.io the transport classes themselves
 * (imported in a chunk of their own after a WebSocket failed), which need no table.
 */
export function websocketFirst(): Plugin {
  return {
    name: 'beckon:websocket-first',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === './transports/index.js' && importer === `${engine}socket.js` ? websocketTransports : null;
    },
    load(id) {
      if (id !== websocketTransports) return null;
      return `import { WS } from ${JSON.stringify(`${engine}transports/websocket.js`)};\nexport const transports = { websocket: WS };`;
    },
  };
}

/**
 * For `build.rolldownOptions.treeshake.moduleSideEffects`: engine.io-client's entry re-exports its
 * long-polling transports, whose modules register an unload handler when they load. Where nothing uses
 * them (the main bundle) they are dropped whole; where something does (the polling chunk) they stay as
 * they are, handler included.
 */
export const pollingHasNoSideEffects = (id: string): boolean => !id.startsWith(`${engine}transports/polling`);
