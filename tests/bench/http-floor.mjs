// bench:ingest's HTTP floor: the same framework as the server (Hono on @hono/node-server) answering
// POST /v1/collect with nothing but the JSON parse and a reply shaped like the real one. Run against it,
// the bench's own client shows how many batches a second this machine can move over HTTP at all, with no
// validation, no database and no scoring: the most any server could acknowledge here.
import { Hono } from 'hono';
import { serve } from '@hono/node-server';

const port = Number(process.argv[2]);
const app = new Hono().post('/v1/collect', async (c) => {
  const batch = JSON.parse(await c.req.text());
  return c.json({ stored: batch.events.length, duplicates: 0 });
});
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => process.send?.('listening'));
// The bench may stop early (an error): this server goes with it.
process.on('disconnect', () => process.exit(0));
