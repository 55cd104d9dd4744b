import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);
const client = `${dirname(require.resolve('socket.io-client/package.json'))}/build/esm/`;

/**
 * Methods of socket.io-client's classes that nothing in the widget calls, by module. Bundlers shake unused
 * functions, never unused methods of a class that is used, so these would ship although unreachable:
 * the catch-all listeners (`onAny`, `onAnyOutgoing` and their kin) and `emitWithAck`.
 * socket.io-client calls none of them itself; the chat client uses `on`, `emit` with an ack, `connect`,
 * `disconnect`, `removeAllListeners` and the manager's `on`. `generateBundle` below fails the build if any
 * chunk names one of them, so a future caller cannot meet a missing method at run time; that is why only
 * names found nowhere else are listed (`send`, `close`, `timeout`, `compress` and `volatile` are unused too,
 * but other objects have members of those names, so no such check could prove them unused). Measured: the chat
 * chunk 14,365 -> 14,180 bytes gzipped.
 */
const unused: Record<string, string[]> = {
  [`${client}socket.js`]: [
    'emitWithAck',
    'onAny',
    'prependAny',
    'offAny',
    'listenersAny',
    'onAnyOutgoing',
    'prependAnyOutgoing',
    'offAnyOutgoing',
    'listenersAnyOutgoing',
  ],
};

interface Node {
  type: string;
  start: number;
  end: number;
  key?: { type: string; name?: string };
  body?: { body?: Node[] } | Node[];
  computed?: boolean;
  static?: boolean;
}

/** Drops the listed methods from the classes of socket.io-client's modules (see `unused`). */
export function unusedMembers(): Plugin {
  return {
    name: 'beckon:unused-members',
    transform(code, id) {
      const names = unused[id];
      if (!names) return null;
      const drop: Node[] = [];
      const visit = (node: unknown): void => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) {
          node.forEach(visit);
          return;
        }
        const current = node as Node;
        if (
          current.type === 'MethodDefinition' &&
          !current.computed &&
          !current.static &&
          current.key?.type === 'Identifier' &&
          names.includes(current.key.name!)
        )
          drop.push(current);
        else for (const value of Object.values(current)) if (value && typeof value === 'object') visit(value);
      };
      visit(this.parse(code));
      const found = new Set(drop.map((method) => method.key!.name));
      const missing = names.filter((name) => !found.has(name));
      if (missing.length) this.error(`${id} no longer has ${missing.join(', ')}: update vite.unused-members.ts`);
      let pruned = code;
      for (const method of drop.sort((a, b) => b.start - a.start))
        pruned = pruned.slice(0, method.start) + pruned.slice(method.end);
      return { code: pruned, map: null };
    },
    generateBundle(_options, bundle) {
      const names = Object.values(unused).flat();
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        for (const name of names)
          if (new RegExp(`\\.${name}\\b|\\[["'\`]${name}["'\`]\\]`).test(file.code))
            this.error(`${file.fileName} uses ${name}, which vite.unused-members.ts removed from socket.io-client`);
      }
    },
  };
}
