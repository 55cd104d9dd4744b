import { createServer } from 'node:http';
import { createReceiver, describeEvent } from './receiver.mjs';

const secret = process.env.BECKON_WEBHOOK_SECRET;
if (!secret?.startsWith('whsec_')) {
  console.error('Set BECKON_WEBHOOK_SECRET to the whsec_... secret Beckon showed when you added the endpoint.');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 4500);
const host = process.env.HOST ?? '127.0.0.1';

const receive = createReceiver({
  secret,
  onEvent: (event, id) => console.log(`${new Date().toISOString()}  ${id}  ${describeEvent(event)}`),
});

createServer((request, response) => {
  receive(request, response).catch((error) => {
    console.error(error);
    if (!response.headersSent) response.writeHead(500).end();
  });
}).listen(port, host, () => console.log(`Waiting for Beckon webhooks on http://${host}:${port}/`));
