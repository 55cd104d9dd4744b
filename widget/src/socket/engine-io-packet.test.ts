// @vitest-environment node
import * as real from 'engine.io-parser';
import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, encodePacketToBinary } from './engine-io-packet.js';

type Packet = Parameters<typeof real.encodePacket>[0];
const encode = (
  codec: (packet: never, binary: boolean, callback: (encoded: string) => void) => void,
  packet: Packet,
) => {
  let encoded: unknown;
  codec(packet as never, true, (value: unknown) => (encoded = value));
  return encoded;
};

/** The text packets of an engine.io connection, both ways. */
const packets: Packet[] = [
  { type: 'open', data: '{"sid":"a-b_c","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1e6}' },
  { type: 'close' },
  { type: 'ping' },
  { type: 'pong' },
  { type: 'ping', data: 'probe' },
  { type: 'pong', data: 'probe' },
  { type: 'message', data: '2/visitor,["message:new",{"text":"héllo 👋 4"}]' },
  { type: 'message', data: '0/visitor,' },
  { type: 'upgrade' },
  { type: 'noop' },
];

describe('the text-only engine.io packet codecs', () => {
  it('encode text packets as engine.io-parser does', () => {
    for (const packet of packets) expect(encode(encodePacket, packet)).toBe(encode(real.encodePacket, packet));
  });

  it('decode text packets as engine.io-parser does', () => {
    for (const packet of packets) {
      const encoded = encode(real.encodePacket, packet) as string;
      expect(decodePacket(encoded)).toEqual(real.decodePacket(encoded, 'arraybuffer'));
      expect(decodePacket(encoded)).toEqual(packet);
    }
  });

  it("decode what is not an engine.io text packet as engine.io-parser's error packet", () => {
    const error = real.decodePacket('x', 'arraybuffer');
    expect(error).toEqual({ type: 'error', data: 'parser error' });
    for (const bad of ['', 'x', '7', ' 4', '-1']) {
      expect(real.decodePacket(bad, 'arraybuffer'), bad).toEqual(error);
      expect(decodePacket(bad), bad).toEqual(error);
    }
    // Binary, which the server never sends visitors: a frame, or base64 over long-polling.
    expect(decodePacket(new ArrayBuffer(3))).toEqual(error);
    expect(decodePacket('bAQID')).toEqual(error);
    expect(() => encodePacketToBinary()).toThrow();
  });
});
