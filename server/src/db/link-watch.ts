import net from 'node:net';

/**
 * Notices a dead path to PostgreSQL within seconds. A black-holed connection (a network partition, a
 * firewall dropping packets, a server that froze) gives no error: the request is sent and nothing comes
 * back, and TCP keepalive or retransmission only gives up after minutes. postgres-js has no per-query
 * timeout, so without this every query on such a connection waits for the whole outage.
 *
 * It works like TCP_USER_TIMEOUT, which Node cannot set: each socket remembers since when it has been
 * waiting for an answer. A socket silent for `stallMs` while waiting makes the watch ask the server
 * whether it is there at all (an SSLRequest on a fresh connection, answered with one byte before any
 * authentication, so it costs the server nothing). No answer within `probeTimeoutMs`: the server is
 * unreachable, every waiting socket is destroyed (their queries fail and the pool reconnects) and
 * `onFailure` is told. A server that answers is just slow (a lock, a long statement): the query keeps
 * waiting, bounded by `statement_timeout`, and only a socket silent for `deadMs` is dropped on its own.
 */
export interface LinkWatchOptions {
  stallMs: number;
  probeTimeoutMs: number;
  deadMs: number;
  /** The path to the database failed: a refused or timed-out connect, or a probe without answer. */
  onFailure(message: string): void;
}

/** What postgres-js hands its `socket` option. */
export interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
}

interface Watched {
  socket: net.Socket;
  /** Epoch ms since when the socket has been waiting for the server (last write or last progress), or null when idle. */
  awaitingSince: number | null;
  heard: boolean;
}

// SSLRequest: length 8, code 80877103. The server answers 'S' or 'N' before anything else.
const sslRequest = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);
// ReadyForQuery ('Z', length 5, status): the server has answered everything sent before it.
const isReadyForQuery = (chunk: Buffer) =>
  chunk.length >= 6 && chunk[chunk.length - 6] === 0x5a && chunk.readInt32BE(chunk.length - 5) === 5;

export function createLinkWatch(options: LinkWatchOptions) {
  const watched = new Set<Watched>();
  let target: SocketTarget | undefined;
  let timer: NodeJS.Timeout | undefined;
  let probing = false;

  const connectTo = (to: SocketTarget) => (to.path ? net.connect(to.path) : net.connect(to.port[0]!, to.host[0]!));

  /** The server answers an SSLRequest within the probe timeout. */
  const probe = (to: SocketTarget) =>
    new Promise<boolean>((resolve) => {
      const socket = connectTo(to);
      const done = (answered: boolean) => {
        clearTimeout(deadline);
        socket.destroy();
        resolve(answered);
      };
      const deadline = setTimeout(() => done(false), options.probeTimeoutMs);
      socket.once('connect', () => socket.write(sslRequest));
      socket.once('data', () => done(true));
      socket.once('error', () => done(false));
      socket.once('close', () => done(false));
    });

  const destroyWaiting = (message: string) => {
    for (const entry of watched) {
      if (entry.awaitingSince !== null) entry.socket.destroy(Object.assign(new Error(message), { code: 'ETIMEDOUT' }));
    }
  };

  const check = async () => {
    const now = Date.now();
    let stalled = false;
    let waiting = false;
    for (const entry of watched) {
      if (entry.awaitingSince === null) continue;
      waiting = true;
      const silentMs = now - entry.awaitingSince;
      if (silentMs > options.deadMs)
        entry.socket.destroy(
          Object.assign(new Error(`No answer from the database for ${silentMs} ms`), { code: 'ETIMEDOUT' }),
        );
      else if (silentMs > options.stallMs) stalled = true;
    }
    if (!waiting) {
      clearInterval(timer);
      timer = undefined;
    }
    if (!stalled || probing || !target) return;
    probing = true;
    try {
      if (!(await probe(target))) {
        const message = `The database server did not answer within ${options.probeTimeoutMs} ms`;
        destroyWaiting(message);
        options.onFailure(message);
      }
    } finally {
      probing = false;
    }
  };

  const watch = () => {
    if (timer) return;
    timer = setInterval(() => void check(), Math.max(100, Math.min(500, options.stallMs / 2)));
    timer.unref();
  };

  return {
    /** postgres-js `socket` option: opens the connection and watches it. */
    socket(to: SocketTarget): net.Socket {
      target = to;
      const socket = connectTo(to);
      const entry: Watched = { socket, awaitingSince: null, heard: false };
      watched.add(entry);
      const write = socket.write;
      let corked = false;
      const uncork = () => {
        corked = false;
        socket.uncork();
      };
      socket.write = function (this: net.Socket, ...args: unknown[]) {
        entry.awaitingSince ??= Date.now();
        watch();
        // Queries issued in one turn of the event loop (a transaction's pipelined statements) leave in one
        // write: on loopback, and more so in a VM, each write costs a wake-up of the server process, which
        // cost more than the bytes (ingestion: 13 % of the node's CPU was socket writes before this).
        if (!corked) {
          corked = true;
          socket.cork();
          process.nextTick(uncork);
        }
        return (write as (...all: unknown[]) => boolean).apply(this, args);
      } as typeof socket.write;
      socket.on('data', (chunk: Buffer) => {
        entry.heard = true;
        entry.awaitingSince = isReadyForQuery(chunk) ? null : Date.now();
      });
      socket.once('error', (error: NodeJS.ErrnoException) =>
        options.onFailure(`${error.code ?? 'error'}: ${error.message}`),
      );
      socket.once('close', () => {
        watched.delete(entry);
        // postgres-js destroys a socket whose connect timed out; a server that never said a word is unreachable.
        if (!entry.heard) options.onFailure('Could not connect to the database server');
      });
      return socket;
    },
    /** Drops every connection that is waiting for an answer (the database was found unreachable elsewhere). */
    destroyWaiting,
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
