/**
 * engine.io-parser's packet codecs for text only, bundled in the widget in place of its browser codecs
 * (`encodePacket.browser.js`, `decodePacket.browser.js`; see vite.text-socket.ts).
 *
 * The widget's socket sends and receives text frames only: socket.io packets of JSON (see `socket-io-parser.ts`)
 * and engine.io's own pings, pongs, handshake and close packets. The real codecs' binary paths (Blob and
 * ArrayBuffer frames, base64 with `FileReader`, the base64 decoding table) are never taken on such a
 * connection, WebSocket or long-polling. Text is encoded and decoded as the real codecs do
 * (`engine-io-packet.test.ts` checks it against them); a binary frame or a base64 (`b…`) packet from the
 * server decodes as engine.io's parser error, which closes the connection (socket.io-client reconnects).
 */
/** engine.io's protocol version, as engine.io-parser exports it. */
export const protocol = 4;

/** engine.io's packet types, by the digit that starts a packet. */
const types = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];

interface EnginePacket {
  type: string;
  data?: string;
}

export const encodePacket = (
  { type, data }: EnginePacket,
  _supportsBinary: boolean,
  callback: (encoded: string) => void,
) => callback(types.indexOf(type) + (data || ''));

/** engine.io-parser's entry imports it for WebTransport's stream encoder, which the widget does not bundle. */
export const encodePacketToBinary = () => {
  throw new Error('binary engine.io packets are not supported');
};

export const decodePacket = (encoded: unknown): EnginePacket => {
  const type = typeof encoded === 'string' && /^[0-6]/.test(encoded) && types[Number(encoded.charAt(0))]!;
  if (!type) return { type: 'error', data: 'parser error' };
  return (encoded as string).length > 1 ? { type, data: (encoded as string).substring(1) } : { type };
};
