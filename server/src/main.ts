import { setFlagsFromString } from 'node:v8';
import { ConfigError, loadConfig } from './config.js';
import { resolveDataDir, startServer } from './server.js';

/**
 * A node's full garbage collections are its worst pauses: at 1,000 chat messages a second V8's own choice
 * collected every 2.5 s, and each collection delayed about 50 acks past 10 ms, most of the server's p99
 * (bench:chat). Letting the old generation grow to 4× what a collection kept spaces them tens of seconds
 * apart, for a heap that can reach 4× its live size. V8 reads the factor at every collection, so setting
 * it here, before the server allocates, takes effect.
 */
function applyHeapGrowth(percent: number) {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/** `npm start`: read the environment, start, print where everything is, stop cleanly on a signal. */
async function main() {
  const config = loadConfig();
  applyHeapGrowth(config.BECKON_HEAP_GROWTH_PERCENT);
  const server = await startServer(config, {
    // The embedded database cannot go on after failing to write its log; a restart recovers it from disk.
    onFatal: (error) => {
      process.stderr.write(
        `Beckon is stopping: ${error.message}\nFree disk space and start it again (a supervisor restarts it); committed data is kept.\n`,
      );
      process.exit(1);
    },
  });
  const { url, seeded, database } = server;
  const lines = [
    '',
    `  Beckon is running (${database.kind === 'pglite' ? `embedded PostgreSQL in ${resolveDataDir(config.BECKON_DATA_DIR)}` : 'PostgreSQL'})`,
    `  Demo shop:  ${url}/demo/`,
    `  Dashboard:  ${url}/app/`,
    `  Snippet:    <script async src="${url}/beckon.js" data-site="${seeded.demoSiteKey}"></script>`,
  ];
  if (seeded.admin) {
    lines.push(`  Admin:      ${seeded.admin.email}`);
    lines.push(
      seeded.admin.generated
        ? `  Password:   ${seeded.admin.password}   (generated; shown only this once — set BECKON_ADMIN_PASSWORD to choose it)`
        : '  Password:   the value of BECKON_ADMIN_PASSWORD',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info('signal received', { signal });
    // A stuck close must not hang the process forever (e.g. a client that never finishes its request).
    const force = setTimeout(() => {
      server.logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `Beckon failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
