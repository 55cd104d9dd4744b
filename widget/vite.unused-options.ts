import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Plugin } from 'vite';
import { dropMethods, memberName, type Node, nodes } from './vite.unused-members.js';

const require = createRequire(import.meta.url);
const clientDir = dirname(require.resolve('socket.io-client/package.json'));
const client = `${clientDir}/build/esm/`;
const engine = `${dirname(createRequire(`${clientDir}/package.json`).resolve('engine.io-client/package.json'))}/build/esm/`;

/**
 * Code of socket.io-client and engine.io-client behind options and calls the widget never uses. A bundler
 * cannot drop it: it sits in methods of classes that are used, behind `if (this.opts.x)` on options only known
 * at run time. Each cut lists the library text it replaces (found exactly once, or the build fails: a new
 * version of the library must be looked at again) and what would need it; `generateBundle` fails the build if
 * any chunk then sets such an option or makes such a call, so the removed code can never be missed at run time.
 * Measured (gzip -9): the chat chunk 13,806 -> 12,352 bytes with the cuts up to the catch-all listeners (upgrade
 * probing, `closeOnBeforeunload`, the Node and React Native options, the retry queue, the emit flags, state
 * recovery), 12,130 with the setters and the emitter's `listeners()`; 12,145 with the chat client's `upgrade: false`.
 */
export interface Cut {
  /** What goes and why the widget does without it. */
  what: string;
  /** Library text -> replacement, by module. */
  edits: Record<string, [string, string][]>;
  /** Methods dropped from the classes of a module (no chunk may then name them). */
  methods?: Record<string, string[]>;
  /** Object keys no chunk may write (`{ retries: 3 }`); with a value, the one value they may have. */
  options?: (string | [string, boolean])[];
  /** Members no chunk may read or call (`socket.volatile`). */
  members?: string[];
  /** Methods no chunk may call (`socket.timeout(5000)`); reading a property of that name is no use of them. */
  calls?: string[];
}

const engineSocket = `${engine}socket.js`;
const websocket = `${engine}transports/websocket.js`;
const ioSocket = `${client}socket.js`;
const manager = `${client}manager.js`;
const backoff = `${client}contrib/backo2.js`;
// The emitter's `require` entry is lib/cjs/index.js; bundles take lib/esm/index.js.
const emitter = `${dirname(dirname(createRequire(`${clientDir}/package.json`).resolve('@socket.io/component-emitter')))}/esm/index.js`;

export const cuts: Cut[] = [
  {
    what:
      "engine.io's upgrade probing (a second transport tried beside a working one, then swapped in). The socket opens " +
      'WebSocket first, and the chat client asks for `upgrade: false`: a visitor whose WebSocket failed stays on ' +
      'long-polling until the next reconnection, which tries WebSocket first again',
    options: [['upgrade', false], 'rememberUpgrade'],
    methods: { [engineSocket]: ['_probe', '_filterUpgrades'] },
    edits: {
      [engineSocket]: [
        ['            upgrade: true,\n', ''],
        ['            rememberUpgrade: false,\n', ''],
        ['        this._upgrades = [];\n', ''],
        [
          `        const transportName = this.opts.rememberUpgrade &&
            Socket.priorWebsocketSuccess &&
            this.transports.indexOf("websocket") !== -1
            ? "websocket"
            : this.transports[0];`,
          '        const transportName = this.transports[0];',
        ],
        [
          `        Socket.priorWebsocketSuccess = "websocket" === this.transport.name;
        this.emitReserved("open");
        this.flush();
        if ("open" === this.readyState && this.opts.upgrade) {
            for (let i = 0; i < this._upgrades.length; i++) {
                this._probe(this._upgrades[i]);
            }
        }`,
          `        this.emitReserved("open");
        this.flush();`,
        ],
        ['        this._upgrades = this._filterUpgrades(data.upgrades);\n', ''],
        ['            !this.upgrading &&\n', ''],
        [
          `        const cleanupAndClose = () => {
            this.off("upgrade", cleanupAndClose);
            this.off("upgradeError", cleanupAndClose);
            close();
        };
        const waitForUpgrade = () => {
            // wait for upgrade to finish since we can't send packets while pausing a transport
            this.once("upgrade", cleanupAndClose);
            this.once("upgradeError", cleanupAndClose);
        };
        if ("opening" === this.readyState || "open" === this.readyState) {
            this.readyState = "closing";
            if (this.writeBuffer.length) {
                this.once("drain", () => {
                    if (this.upgrading) {
                        waitForUpgrade();
                    }
                    else {
                        close();
                    }
                });
            }
            else if (this.upgrading) {
                waitForUpgrade();
            }
            else {
                close();
            }
        }`,
          `        if ("opening" === this.readyState || "open" === this.readyState) {
            this.readyState = "closing";
            if (this.writeBuffer.length) {
                this.once("drain", close);
            }
            else {
                close();
            }
        }`,
        ],
        [
          '        Socket.priorWebsocketSuccess = false;\n        if (this.opts.tryAllTransports',
          '        if (this.opts.tryAllTransports',
        ],
      ],
    },
  },
  {
    what: "engine.io's `closeOnBeforeunload` (the widget keeps the socket until the page is gone)",
    options: ['closeOnBeforeunload'],
    edits: {
      [engineSocket]: [
        ['            closeOnBeforeunload: false,\n', ''],
        [
          `            if (this.opts.closeOnBeforeunload) {
                // Firefox closes the connection when the "beforeunload" event is emitted but not Chrome. This event listener
                // ensures every browser behaves the same (no "disconnect" event at the Socket.IO level when the page is
                // closed/reloaded)
                this._beforeunloadEventListener = () => {
                    if (this.transport) {
                        // silently close the transport
                        this.transport.removeAllListeners();
                        this.transport.close();
                    }
                };
                addEventListener("beforeunload", this._beforeunloadEventListener, false);
            }
`,
          '',
        ],
        [
          `                if (this._beforeunloadEventListener) {
                    removeEventListener("beforeunload", this._beforeunloadEventListener, false);
                }
`,
          '',
        ],
      ],
    },
  },
  {
    what:
      "Node.js and React Native options: `withCredentials`'s cookie jar (a no-op in browsers), the `ws` package's " +
      "and React Native's WebSocket options (a browser WebSocket takes a URL), `autoUnref` (Node timers)",
    options: ['withCredentials', 'extraHeaders', 'protocols', 'autoUnref', 'rejectUnauthorized', 'perMessageDeflate'],
    edits: {
      [engineSocket]: [
        ['            withCredentials: false,\n', ''],
        [
          '            rejectUnauthorized: true,\n            perMessageDeflate: {\n                threshold: 1024,\n            },\n',
          '',
        ],
        ['        if (this.opts.withCredentials) {\n            this._cookieJar = createCookieJar();\n        }\n', ''],
        ['        if (this.opts.autoUnref) {\n            this._pingTimeoutTimer.unref();\n        }\n', ''],
      ],
      [websocket]: [
        [
          `const isReactNative = typeof navigator !== "undefined" &&
    typeof navigator.product === "string" &&
    navigator.product.toLowerCase() === "reactnative";`,
          'const isReactNative = false;',
        ],
        [
          `        const protocols = this.opts.protocols;
        // React Native only supports the 'headers' option, and will print a warning if anything else is passed
        const opts = isReactNative
            ? {}
            : pick(this.opts, "agent", "perMessageDeflate", "pfx", "key", "passphrase", "cert", "ca", "ciphers", "rejectUnauthorized", "localAddress", "protocolVersion", "origin", "maxPayload", "family", "checkServerIdentity");
        if (this.opts.extraHeaders) {
            opts.headers = this.opts.extraHeaders;
        }
`,
          '',
        ],
        ['this.ws = this.createSocket(uri, protocols, opts);', 'this.ws = this.createSocket(uri);'],
        ['            if (this.opts.autoUnref) {\n                this.ws._socket.unref();\n            }\n', ''],
        [
          `        return !isReactNative
            ? protocols
                ? new WebSocketCtor(uri, protocols)
                : new WebSocketCtor(uri)
            : new WebSocketCtor(uri, protocols, opts);`,
          '        return new WebSocketCtor(uri);',
        ],
      ],
      [manager]: [
        [
          '            }, timeout);\n            if (this.opts.autoUnref) {\n                timer.unref();\n            }\n',
          '            }, timeout);\n',
        ],
        [
          '            }, delay);\n            if (this.opts.autoUnref) {\n                timer.unref();\n            }\n',
          '            }, delay);\n',
        ],
      ],
    },
  },
  {
    what: "socket.io's emit-retry queue (`retries`): the chat client resends unacknowledged messages itself",
    options: ['retries'],
    methods: { [ioSocket]: ['_addToQueue', '_drainQueue'] },
    edits: {
      [ioSocket]: [
        ['        this._queue = [];\n', ''],
        ['        this._queueSeq = 0;\n', ''],
        [
          '        if (this._opts.retries && !this.flags.fromQueue && !this.flags.volatile) {\n            this._addToQueue(args);\n            return this;\n        }\n',
          '',
        ],
        ['        this._drainQueue(true);\n', ''],
      ],
    },
  },
  {
    what:
      "socket.io's per-emit flags and ack timeouts (`volatile`, `compress()`, `timeout()`, `ackTimeout`): the chat " +
      'client times its acks itself, and a browser WebSocket compresses as it was opened',
    options: ['ackTimeout'],
    members: ['volatile'],
    calls: ['compress', 'timeout'],
    methods: { [ioSocket]: ['compress', 'volatile', 'timeout', '_registerAckCallback'], [manager]: ['timeout'] },
    edits: {
      [ioSocket]: [
        ['        this.flags = {};\n        this.io = io;', '        this.io = io;'],
        ['        packet.options = {};\n        packet.options.compress = this.flags.compress !== false;\n', ''],
        ['            this._registerAckCallback(id, ack);', '            this.acks[id] = ack;'],
        [
          '        const isTransportWritable = (_b = (_a = this.io.engine) === null || _a === void 0 ? void 0 : _a.transport) === null || _b === void 0 ? void 0 : _b.writable;\n',
          '',
        ],
        [
          `        const discardPacket = this.flags.volatile && !isTransportWritable;
        if (discardPacket) {
        }
        else if (isConnected) {`,
          '        if (isConnected) {',
        ],
        ['        this.flags = {};\n        return this;', '        return this;'],
      ],
      [manager]: [
        [
          '        this.timeout(null == opts.timeout ? 20000 : opts.timeout);',
          '        this._timeout = null == opts.timeout ? 20000 : opts.timeout;',
        ],
      ],
    },
  },
  {
    what:
      "socket.io's connection state recovery (the session id and offset sent back on a reconnection): the server " +
      'has it off, and the chat client asks for what it missed after every (re)connection',
    members: ['recovered'],
    edits: {
      [ioSocket]: [
        ['        this.recovered = false;\n', ''],
        [
          `            data: this._pid
                ? Object.assign({ pid: this._pid, offset: this._lastOffset }, data)
                : data,`,
          '            data,',
        ],
        [
          `        if (this._pid && args.length && typeof args[args.length - 1] === "string") {
            this._lastOffset = args[args.length - 1];
        }
`,
          '',
        ],
        [
          `        this.recovered = pid && this._pid === pid;
        this._pid = pid; // defined only if connection state recovery is enabled
`,
          '',
        ],
      ],
    },
  },
  {
    what: "socket.io's catch-all listeners, whose methods vite.unused-members.ts removes: nothing can add one",
    methods: { [ioSocket]: ['notifyOutgoingListeners'] },
    edits: {
      [ioSocket]: [
        [
          '            this.notifyOutgoingListeners(packet);\n            this.packet(packet);\n        }\n        else {',
          '            this.packet(packet);\n        }\n        else {',
        ],
        [
          '            this.notifyOutgoingListeners(packet);\n            this.packet(packet);\n        });',
          '            this.packet(packet);\n        });',
        ],
        [
          `        if (this._anyListeners && this._anyListeners.length) {
            const listeners = this._anyListeners.slice();
            for (const listener of listeners) {
                listener.apply(this, args);
            }
        }
`,
          '',
        ],
      ],
    },
  },
  {
    what:
      "the manager's setters of its reconnection options (`reconnection()`, `reconnectionDelay()` and their kin) and " +
      "the backoff's: the chat client sets the options once, in `io()`'s options",
    calls: [
      'reconnection',
      'reconnectionAttempts',
      'reconnectionDelay',
      'reconnectionDelayMax',
      'randomizationFactor',
      'setMin',
      'setMax',
      'setJitter',
    ],
    methods: {
      [manager]: [
        'reconnection',
        'reconnectionAttempts',
        'reconnectionDelay',
        'reconnectionDelayMax',
        'randomizationFactor',
      ],
    },
    edits: {
      [manager]: [
        [
          `        this.reconnection(opts.reconnection !== false);
        this.reconnectionAttempts(opts.reconnectionAttempts || Infinity);
        this.reconnectionDelay(opts.reconnectionDelay || 1000);
        this.reconnectionDelayMax(opts.reconnectionDelayMax || 5000);
        this.randomizationFactor((_a = opts.randomizationFactor) !== null && _a !== void 0 ? _a : 0.5);
        this.backoff = new Backoff({
            min: this.reconnectionDelay(),
            max: this.reconnectionDelayMax(),
            jitter: this.randomizationFactor(),
        });`,
          `        this._reconnection = opts.reconnection !== false;
        if (!this._reconnection)
            this.skipReconnect = true;
        this._reconnectionAttempts = opts.reconnectionAttempts || Infinity;
        this.backoff = new Backoff({
            min: opts.reconnectionDelay || 1000,
            max: opts.reconnectionDelayMax || 5000,
            jitter: (_a = opts.randomizationFactor) !== null && _a !== void 0 ? _a : 0.5,
        });`,
        ],
      ],
      [backoff]: [
        ['Backoff.prototype.setMin = function (min) {\n    this.ms = min;\n};', ''],
        ['Backoff.prototype.setMax = function (max) {\n    this.max = max;\n};', ''],
        ['Backoff.prototype.setJitter = function (jitter) {\n    this.jitter = jitter;\n};', ''],
      ],
    },
  },
  {
    what: "the emitter's `listeners()` and `hasListeners()`, which socket.io-client never calls",
    calls: ['listeners', 'hasListeners'],
    edits: {
      [emitter]: [
        [
          `Emitter.prototype.listeners = function(event){
  this._callbacks = this._callbacks || {};
  return this._callbacks['$' + event] || [];
};`,
          '',
        ],
        ['Emitter.prototype.hasListeners = function(event){\n  return !! this.listeners(event).length;\n};', ''],
      ],
    },
  },
];

/** Replaces `find` with `replace` in `code`; `find` must be there exactly once. */
export function edit(code: string, [find, replace]: [string, string]): string | undefined {
  const at = code.indexOf(find);
  if (at < 0 || code.indexOf(find, at + 1) >= 0) return undefined;
  return code.slice(0, at) + replace + code.slice(at + find.length);
}

interface Tree extends Node {
  callee?: Node & { property?: Node; computed?: boolean };
  value?: unknown;
  argument?: Node & { value?: unknown };
  operator?: string;
}

/** A literal boolean as a minifier writes it too (`!0`, `!1`). */
const booleanOf = (node: Tree | undefined): boolean | undefined =>
  node?.type === 'Literal' && typeof node.value === 'boolean'
    ? node.value
    : node?.type === 'UnaryExpression' && node.operator === '!' && node.argument?.type === 'Literal'
      ? !node.argument.value
      : undefined;

/**
 * What in a chunk's syntax tree would need code that `cuts` removed: an option written in an object literal (other
 * than with its one allowed value), a member read or a method named. One message per use.
 */
export function usesOfCuts(tree: unknown, list: Cut[] = cuts): string[] {
  const found: string[] = [];
  const all = [...nodes(tree)] as Tree[];
  for (const cut of list) {
    // A removed method is named nowhere, unless only its calls are checked (a name other objects have too).
    const members = [
      ...(cut.members ?? []),
      ...Object.values(cut.methods ?? {})
        .flat()
        .filter((name) => !cut.calls?.includes(name)),
    ];
    for (const node of all) {
      let use: string | undefined;
      if (node.type === 'Property') {
        const key = memberName(node.key, node.computed);
        for (const rule of cut.options ?? []) {
          const [name, allowed] = typeof rule === 'string' ? [rule, undefined] : rule;
          if (key === name && (allowed === undefined || booleanOf(node.value as Tree) !== allowed))
            use = `sets \`${name}\`${allowed === undefined ? '' : ` to something other than ${allowed}`}`;
        }
      } else if (node.type === 'MemberExpression' || node.type === 'MethodDefinition') {
        const name = memberName(node.type === 'MemberExpression' ? node.property : node.key, node.computed);
        if (members.includes(name as string)) use = `uses \`${name}\``;
      }
      if (node.type === 'CallExpression' && node.callee?.type === 'MemberExpression') {
        const name = memberName(node.callee.property, node.callee.computed);
        if (cut.calls?.includes(name as string)) use = `calls \`${name}()\``;
      }
      if (use) found.push(`${use}, whose code went with ${cut.what}`);
    }
  }
  return found;
}

/** Drops `cuts` from socket.io-client and engine.io-client, and fails the build if a chunk needs them. */
export function unusedOptions(list: Cut[] = cuts): Plugin {
  const modules = new Set(list.flatMap((cut) => [...Object.keys(cut.edits), ...Object.keys(cut.methods ?? {})]));
  return {
    name: 'beckon:unused-options',
    transform(code, id) {
      if (!modules.has(id)) return null;
      let pruned = code;
      for (const cut of list) {
        for (const change of cut.edits[id] ?? []) {
          const next = edit(pruned, change);
          if (next === undefined)
            this.error(`${id} no longer has this text once: update vite.unused-options.ts\n${change[0]}`);
          pruned = next;
        }
      }
      const names = list.flatMap((cut) => cut.methods?.[id] ?? []);
      if (!names.length) return { code: pruned, map: null };
      const dropped = dropMethods(pruned, this.parse(pruned), names);
      if ('missing' in dropped)
        this.error(`${id} no longer has ${dropped.missing.join(', ')}: update vite.unused-options.ts`);
      return { code: dropped.code, map: null };
    },
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const uses = usesOfCuts(this.parse(file.code), list);
        if (uses.length) this.error(`${file.fileName} ${uses[0]} (vite.unused-options.ts)`);
      }
    },
  };
}
