/**
 * socket.io-parser for text only, bundled in the widget in place of the real one (see vite.text-socket.ts).
 *
 * The widget's `/visitor` socket carries JSON and nothing else: the chat client emits plain objects, and every
 * event the server sends visitors is a protocol type built from JSON (`VisitorServerToClient`), never a
 * Buffer or a Blob. socket.io-parser's binary half (attachment placeholders, buffer reconstruction, the deep
 * `hasBinary` walk over every payload) is then never used, yet was a fifth of the chat chunk's socket.io
 * code. The text packets below are written and read exactly as socket.io-parser 4 does (protocol 5);
 * `socket-io-parser.test.ts` checks that against the real parser. A binary packet from the server is refused
 * like a malformed one (socket.io-client drops the connection with a `parse error` and reconnects).
 */

/** Protocol version, as socket.io-parser exports it (socket.io-client re-exports it). */
export const protocol = 5;

/** socket.io's packet types, with the names socket.io-client reads them by. */
export const PacketType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

export interface Packet {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}

/** Event names socket.io reserves: an `EVENT` naming one is invalid (as socket.io-parser rules). */
const reserved = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];
const isObject = (value: unknown) => Object.prototype.toString.call(value) === '[object Object]';
/** What each text packet type may carry (socket.io-parser's `isPayloadValid`), by type. */
const payloadValid: ((payload: unknown) => boolean)[] = [
  isObject,
  (payload) => payload === undefined,
  (payload) =>
    Array.isArray(payload) &&
    (typeof payload[0] === 'number' || (typeof payload[0] === 'string' && !reserved.includes(payload[0]))),
  Array.isArray,
  (payload) => typeof payload === 'string' || isObject(payload),
];
/** Type digit, then `/nsp,` unless the main namespace, then the ack id, then the JSON payload. */
const packetPattern = /^(\d)(?:(\/[^,]*),?)?(\d*)(.*)$/s;

export class Encoder {
  /** One string per packet: a text packet is never split into attachments. */
  encode(packet: Packet): string[] {
    let encoded = `${packet.type}`;
    if (packet.nsp && packet.nsp !== '/') encoded += `${packet.nsp},`;
    if (packet.id != null) encoded += packet.id;
    if (packet.data != null) encoded += JSON.stringify(packet.data);
    return [encoded];
  }
}

export class Decoder {
  // socket.io-client's manager listens to `decoded` (once per connection, removed on cleanup). Assigned in
  // the constructor: a class field would bring the ES2020 build's defineProperty helper into the chat chunk.
  declare private readonly listeners: Set<(packet: Packet) => void>;

  constructor() {
    this.listeners = new Set();
  }

  on(_event: 'decoded', listener: (packet: Packet) => void) {
    this.listeners.add(listener);
  }

  off(_event: 'decoded', listener: (packet: Packet) => void) {
    this.listeners.delete(listener);
  }

  /** Decodes one packet and hands it to the listeners; throws on anything else (socket.io-client closes then). */
  add(encoded: unknown) {
    const match = typeof encoded === 'string' ? packetPattern.exec(encoded) : null;
    const validate = match && payloadValid[Number(match[1])];
    if (!match || !validate) throw new Error(`not a text socket.io packet: ${encoded}`);
    const [, type, nsp = '/', id, json] = match;
    const packet: Packet = { type: Number(type), nsp };
    if (id) packet.id = Number(id);
    if (json) {
      let payload: unknown;
      try {
        payload = JSON.parse(json);
      } catch {
        payload = false;
      }
      if (!validate(payload)) throw new Error('invalid payload');
      packet.data = payload;
    }
    this.listeners.forEach((listener) => listener(packet));
  }

  /** Nothing to release: no binary packet is ever half-received. */
  destroy() {}
}
