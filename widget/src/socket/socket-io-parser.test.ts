// @vitest-environment node
import * as real from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { Decoder, Encoder, PacketType, type Packet, protocol } from './socket-io-parser.js';

const decodeWith = (decoder: {
  add(data: unknown): void;
  on(event: 'decoded', listener: (p: Packet) => void): void;
}) => {
  const decoded: Packet[] = [];
  decoder.on('decoded', (packet) => decoded.push(packet));
  return (data: unknown) => {
    decoder.add(data);
    return decoded.splice(0);
  };
};
const realDecode = (data: unknown) => decodeWith(new real.Decoder() as never)(data);
const textDecode = (data: unknown) => decodeWith(new Decoder())(data);

const message = {
  id: 'm1',
  conversationId: 'c1',
  seq: 12,
  author: 'agent',
  agent: { id: 'a1', name: 'Anna, "the" agent' },
  text: 'Hi 👋 — <b>not html</b>, 42\n[1,2]',
  createdAt: '2026-01-01T00:00:00.000Z',
  internal: false,
};

/** What the widget's socket.io-client sends on `/visitor` (and on `/`, for completeness). */
const clientPackets: Packet[] = [
  { type: PacketType.CONNECT, nsp: '/visitor', data: { site: 'demo', token: 't.k-1', url: 'https://a.test/?q=1,2' } },
  { type: PacketType.CONNECT, nsp: '/visitor' },
  { type: PacketType.CONNECT, nsp: '/' },
  { type: PacketType.DISCONNECT, nsp: '/visitor' },
  { type: PacketType.EVENT, nsp: '/visitor', data: ['message:send', { clientId: 'x', text: '1,2 "3"' }], id: 0 },
  { type: PacketType.EVENT, nsp: '/visitor', data: ['messages:since', { conversationId: 'c1', afterSeq: 3 }], id: 17 },
  { type: PacketType.EVENT, nsp: '/visitor', data: ['visitor:typing', { typing: true, preview: 'é' }] },
  { type: PacketType.EVENT, nsp: '/', data: ['ping', null, 0, ''] },
  { type: PacketType.ACK, nsp: '/visitor', data: [{ ok: true }], id: 4 },
];

/** What the server sends visitors: the handshake, refusals, events with and without acks, and ack answers. */
const serverPackets: Packet[] = [
  { type: PacketType.CONNECT, nsp: '/visitor', data: { sid: 'AbC-12_x' } },
  { type: PacketType.CONNECT, nsp: '/', data: { sid: 'z' } },
  { type: PacketType.CONNECT_ERROR, nsp: '/visitor', data: { message: 'origin_not_allowed' } },
  { type: PacketType.CONNECT_ERROR, nsp: '/visitor', data: { message: 'unavailable', data: { retry: 1 } } },
  { type: PacketType.CONNECT_ERROR, nsp: '/visitor', data: 'Invalid namespace' },
  { type: PacketType.DISCONNECT, nsp: '/visitor' },
  { type: PacketType.EVENT, nsp: '/visitor', data: ['message:new', message] },
  { type: PacketType.EVENT, nsp: '/visitor', data: ['agent:typing', { conversationId: 'c1', typing: true }], id: 9 },
  { type: PacketType.EVENT, nsp: '/', data: ['x'] },
  { type: PacketType.ACK, nsp: '/visitor', data: [{ ok: true, message, autoReply: null }], id: 0 },
  {
    type: PacketType.ACK,
    nsp: '/visitor',
    data: [{ ok: false, error: { code: 'rate_limited', message: 'Slow' } }],
    id: 123,
  },
  { type: PacketType.ACK, nsp: '/visitor', data: [], id: 5 },
];

describe('the text-only socket.io parser', () => {
  it('has the protocol version and packet types of socket.io-parser', () => {
    expect(protocol).toBe(real.protocol);
    for (const [name, type] of Object.entries(PacketType)) expect(real.PacketType[name as never]).toBe(type);
  });

  it('encodes every packet the widget sends as socket.io-parser does', () => {
    for (const packet of clientPackets) expect(new Encoder().encode(packet)).toEqual(new real.Encoder().encode(packet));
  });

  it('decodes every packet the server sends visitors as socket.io-parser does', () => {
    for (const packet of [...serverPackets, ...clientPackets]) {
      const [encoded] = new real.Encoder().encode(packet) as string[];
      expect(textDecode(encoded)).toEqual(realDecode(encoded));
      expect(textDecode(encoded)).toEqual([packet]);
    }
  });

  it('refuses what socket.io-parser refuses', () => {
    // (socket.io-parser reads a few strings no encoder writes, e.g. '' as a CONNECT; those need not agree.)
    for (const bad of [
      '7',
      '9/visitor,',
      '2/visitor,["connect"]',
      '2/visitor,["disconnect",1]',
      '2/visitor,{"a":1}',
      '2/visitor,[{"a":1}]',
      '0/visitor,[1]',
      '1/visitor,{}',
      '3/visitor,1{"ok":true}',
      '2/visitor,[not json',
    ]) {
      expect(() => realDecode(bad), bad).toThrow();
      expect(() => textDecode(bad), bad).toThrow();
    }
  });

  it('refuses binary packets and binary data (the server sends visitors none)', () => {
    const [header] = new real.Encoder().encode({
      type: PacketType.EVENT,
      nsp: '/visitor',
      data: ['file', new Uint8Array([1, 2])],
    }) as string[];
    expect(header).toMatch(/^51-/);
    expect(() => textDecode(header)).toThrow();
    expect(() => textDecode(new ArrayBuffer(2))).toThrow();
    expect(() => realDecode(new ArrayBuffer(2))).toThrow();
  });

  it('hands a decoded packet to its listeners until they are removed', () => {
    const decoder = new Decoder();
    const seen: Packet[] = [];
    const listener = (packet: Packet) => seen.push(packet);
    decoder.on('decoded', listener);
    decoder.add('2/visitor,["a"]');
    decoder.off('decoded', listener);
    decoder.add('2/visitor,["b"]');
    decoder.destroy();
    expect(seen).toEqual([{ type: 2, nsp: '/visitor', data: ['a'] }]);
  });
});
