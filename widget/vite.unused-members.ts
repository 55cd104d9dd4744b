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

export interface Node {
  type: string;
  start: number;
  end: number;
  key?: Node;
  property?: Node;
  name?: string;
  value?: unknown;
  computed?: boolean;
  static?: boolean;
}

/** Every node of an ESTree AST, depth first. */
export function* nodes(node: unknown): Generator<Node> {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) yield* nodes(child);
    return;
  }
  if (typeof (node as Node).type === 'string') yield node as Node;
  for (const value of Object.values(node)) if (value && typeof value === 'object') yield* nodes(value);
}

/** A member's name as written: `a.name`, `a['name']`, or the key of a method or property. */
export const memberName = (node: Node | undefined, computed?: boolean) =>
  !node
    ? undefined
    : !computed && node.type === 'Identifier'
      ? node.name
      : node.type === 'Literal'
        ? node.value
        : undefined;

/**
 * `code` without the methods named `names` of its classes (static ones stay), or the names it does not have (the
 * library changed: the caller fails the build).
 */
export function dropMethods(code: string, tree: unknown, names: string[]): { code: string } | { missing: string[] } {
  const drop = [...nodes(tree)].filter(
    (node) =>
      node.type === 'MethodDefinition' && !node.static && names.includes(memberName(node.key, node.computed) as string),
  );
  const found = new Set(drop.map((method) => memberName(method.key)));
  const missing = names.filter((name) => !found.has(name));
  if (missing.length) return { missing };
  let pruned = code;
  for (const method of drop.sort((a, b) => b.start - a.start))
    pruned = pruned.slice(0, method.start) + pruned.slice(method.end);
  return { code: pruned };
}

/** Drops the listed methods from the classes of socket.io-client's modules (see `unused`). */
export function unusedMembers(): Plugin {
  const removed = Object.values(unused).flat();
  return {
    name: 'beckon:unused-members',
    transform(code, id) {
      const names = unused[id];
      if (!names) return null;
      const pruned = dropMethods(code, this.parse(code), names);
      if ('missing' in pruned)
        this.error(`${id} no longer has ${pruned.missing.join(', ')}: update vite.unused-members.ts`);
      return { code: pruned.code, map: null };
    },
    // Read from each chunk's syntax tree, so a name in a comment or a string is no use of it.
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        for (const node of nodes(this.parse(file.code))) {
          const name =
            node.type === 'MemberExpression'
              ? memberName(node.property, node.computed)
              : node.type === 'MethodDefinition' || node.type === 'Property'
                ? memberName(node.key, node.computed)
                : undefined;
          if (removed.includes(name as string))
            this.error(`${file.fileName} uses ${name}, which vite.unused-members.ts removed from socket.io-client`);
        }
      }
    },
  };
}
