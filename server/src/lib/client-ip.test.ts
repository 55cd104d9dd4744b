import { describe, expect, it } from 'vitest';
import { handshakeIp, hashIp, limitAddress, truncateIp } from './client-ip.js';

describe('truncateIp', () => {
  it('keeps an IPv4 address to its /24', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp(' 10.1.2.3 ')).toBe('10.1.2.0');
    // Node reports IPv4 peers of a dual-stack socket as IPv4-mapped IPv6.
    expect(truncateIp('::ffff:198.51.100.9')).toBe('198.51.100.0');
  });

  it('keeps an IPv6 address to its /48, whatever its spelling', () => {
    expect(truncateIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::');
    expect(truncateIp('2001:0DB8:0000:1::1')).toBe('2001:db8:0::');
    expect(truncateIp('[2001:db8::1]')).toBe('2001:db8:0::');
    expect(truncateIp('fe80::1%eth0')).toBe('fe80:0:0::');
    expect(truncateIp('::1')).toBe('0:0:0::');
  });

  it('two addresses in the same /24 or /48 truncate alike; in different ones, not', () => {
    expect(truncateIp('192.0.2.1')).toBe(truncateIp('192.0.2.254'));
    expect(truncateIp('192.0.2.1')).not.toBe(truncateIp('192.0.3.1'));
    expect(truncateIp('2001:db8:1:ffff::1')).toBe(truncateIp('2001:db8:1:0::2'));
    expect(truncateIp('2001:db8:1::1')).not.toBe(truncateIp('2001:db8:2::1'));
  });

  it('never passes anything that is not an address through', () => {
    for (const bad of ['unknown', '', '999.1.1.1', '1.2.3', 'evil.example', '1:2:3:4:5:6:7:8:9', '<script>'])
      expect(truncateIp(bad)).toBe('unknown');
  });
});

describe('hashIp (the logs’ address field)', () => {
  it('hashes the truncated address: never the raw one, and the same for a whole /24', () => {
    expect(hashIp('203.0.113.7')).toBe(hashIp('203.0.113.200'));
    expect(hashIp('203.0.113.7')).not.toBe(hashIp('203.0.114.7'));
    expect(hashIp('203.0.113.7')).not.toContain('203');
  });
});

describe('handshakeIp', () => {
  const handshake = (forwarded?: string) => ({
    address: '::ffff:10.0.0.1',
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
  });

  it('takes the left-most X-Forwarded-For entry only behind a trusted proxy', () => {
    expect(handshakeIp(handshake('198.51.100.7, 10.0.0.2'), true)).toBe('198.51.100.7');
    expect(handshakeIp(handshake('198.51.100.7'), false)).toBe('::ffff:10.0.0.1');
    expect(handshakeIp(handshake(), true)).toBe('::ffff:10.0.0.1');
  });
});

describe('limitAddress', () => {
  it('counts IPv4 addresses one by one and IPv6 addresses per /64', () => {
    expect(limitAddress('198.51.100.7')).toBe('198.51.100.7');
    expect(limitAddress('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(limitAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitAddress('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(limitAddress('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(limitAddress('unknown')).toBe('unknown');
  });
});
