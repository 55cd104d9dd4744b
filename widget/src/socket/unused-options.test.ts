// @vitest-environment node
import { readFileSync } from 'node:fs';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';
import { cuts, edit, usesOfCuts } from '../../vite.unused-options.js';

const uses = (code: string) => usesOfCuts(parseAst(code));

describe('vite.unused-options.ts', () => {
  it('finds every text it replaces exactly once in the installed socket.io-client and engine.io-client', () => {
    const modules = new Set(cuts.flatMap((cut) => Object.keys(cut.edits)));
    for (const id of modules) {
      let code = readFileSync(id, 'utf8');
      for (const cut of cuts)
        for (const change of cut.edits[id] ?? []) {
          const next = edit(code, change);
          expect(next, `${id}: ${change[0]}`).toBeDefined();
          code = next!;
        }
    }
  });

  it('edits only where the text is found exactly once', () => {
    expect(edit('a b a', ['b', 'c'])).toBe('a c a');
    expect(edit('a b a', ['a', 'c'])).toBeUndefined();
    expect(edit('a b a', ['d', 'c'])).toBeUndefined();
  });

  it('fails the build on options and calls that need the removed code', () => {
    for (const code of [
      'io(url, { retries: 3 })',
      'io(url, { upgrade: true })',
      'io(url, { upgrade: !0 })',
      'io(url, { upgrade })',
      'io(url, { rememberUpgrade: true })',
      'io(url, { closeOnBeforeunload: false })',
      'io(url, { ackTimeout: 5000 })',
      'io(url, { withCredentials: true })',
      'io(url, { "extraHeaders": {} })',
      'socket.volatile.emit("typing")',
      'socket.timeout(5000).emit("message:send", payload, ack)',
      'socket.compress(false).emit("x")',
      'if (socket.recovered) resync()',
      'socket.io.reconnectionDelay(500)',
      'socket.io.hasListeners("error")',
      'class A { _probe() {} }',
    ])
      expect(uses(code), code).not.toEqual([]);
  });

  it('lets through what the chat client writes: `upgrade: false`, its reconnection options, other `timeout`s', () => {
    for (const code of [
      'io(url, { upgrade: false, tryAllTransports: true, forceNew: true, reconnectionDelayMax: 1e4 })',
      'io(url, { upgrade: !1 })',
      'manager._timeout = null == opts.timeout ? 2e4 : opts.timeout',
      'setTimeout(done, options.timeout)',
      'parser.listeners.add(listener)',
    ])
      expect(uses(code), code).toEqual([]);
  });
});
