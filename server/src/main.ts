import { ConfigError, loadConfig } from './config.js';
import { resolveDataDir, startServer } from './server.js';

/** `npm start`: read the environment, start, print where everything is, stop cleanly on a signal. */
async function main() {
  const config = loadConfig();
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
