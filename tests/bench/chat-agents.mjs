// bench:chat's agent dashboards, in a worker thread: 20 agent sockets receive every message of the site,
// and parsing their frames must not hold up the event loop that times the visitors' acks (in real life
// agents and visitors are different machines). It counts, per agent socket, each visitor message it got.
import { parentPort, workerData } from 'node:worker_threads';
import { io } from 'socket.io-client';

const { origin, cookies } = workerData;
const sockets = await Promise.all(
  cookies.map(
    (cookie) =>
      new Promise((resolve, reject) => {
        const socket = io(`${origin}/agent`, {
          transports: ['websocket'],
          forceNew: true,
          reconnection: false,
          extraHeaders: { cookie, origin },
        });
        socket.once('connect_error', reject);
        socket.once('connect', () => resolve(socket));
      }),
  ),
);
// Deliveries per agent socket, keyed by client id: a second delivery to one socket is a duplicate.
const deliveredTo = sockets.map(() => new Set());
let duplicates = 0;
sockets.forEach((socket, index) => {
  socket.on('messages:new', (messages) => {
    for (const message of messages) {
      if (message.author !== 'visitor') continue;
      if (deliveredTo[index].has(message.clientId)) duplicates++;
      deliveredTo[index].add(message.clientId);
    }
  });
});
parentPort.on('message', (command) => {
  if (command !== 'report') return;
  sockets.forEach((socket) => socket.close());
  parentPort.postMessage({ duplicates, delivered: [...deliveredTo[0]], sockets: sockets.length });
});
parentPort.postMessage({ ready: true });
