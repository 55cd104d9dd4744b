import { describe, expect, it } from 'vitest';
import { isPrivateAddress, privateHostReason, PrivateAddressError, publicLookup, publicOnlyFetch } from './outbound.js';

describe('outbound requests', () => {
  it('tells private, loopback, link-local and reserved addresses from public ones', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.7',
      '172.20.1.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('judges the IPv4 address an IPv6 address carries (compatible, mapped, translated, NAT64, 6to4) and Teredo', () => {
    const privateForms = [
      '::127.0.0.1',
      '::7f00:1',
      '::10.0.0.1', // IPv4-compatible (deprecated, still routed to IPv4 by some stacks)
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe', // IPv4-mapped, hex spelling (what URL parsing produces)
      '::ffff:0:127.0.0.1',
      '::ffff:0:7f00:1',
      '::ffff:0:c0a8:101', // IPv4-translated
      '64:ff9b::127.0.0.1',
      '64:ff9b::8.8.8.8',
      '64:ff9b:1::a00:1', // NAT64 (refused whatever it embeds)
      '2002:7f00:1::',
      '2002:a00:1::1',
      '2002:c0a8:101:1::1', // 6to4 of private IPv4
      '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
      'fec0::1', // site-local (deprecated)
    ];
    for (const address of privateForms) expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ['::ffff:0:8.8.8.8', '2002:808:808::1', '::ffff:5db8:d822'])
      expect(isPrivateAddress(address), address).toBe(false);
    for (const url of [
      'http://[::127.0.0.1]/hook',
      'http://[::ffff:0:127.0.0.1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::ffff:169.254.169.254]/',
      'http://[64:ff9b::10.0.0.1]/',
      'http://[2002:7f00:1::]/',
    ]) {
      expect(privateHostReason(url), url).toMatch(/private or reserved/);
    }
  });

  it('judges literal hosts and localhost without DNS', () => {
    expect(privateHostReason('http://localhost:3000/x')).toMatch(/this server/);
    expect(privateHostReason('http://api.localhost/x')).toMatch(/this server/);
    expect(privateHostReason('http://[::1]:8080/x')).toMatch(/private or reserved/);
    expect(privateHostReason('https://crm.example.com/hooks')).toBeNull();
    expect(privateHostReason('https://93.184.216.34/hooks')).toBeNull();
  });

  it('refuses a name that resolves to a private address at connect time', async () => {
    const error = await new Promise<Error | null>((resolve) =>
      publicLookup('localhost', { all: true }, (caught) => resolve(caught)),
    );
    expect(error).toBeInstanceOf(PrivateAddressError);
  });

  it('does not connect to a private address', async () => {
    await expect(publicOnlyFetch('http://127.0.0.1:9/hook', { method: 'POST', body: '{}' })).rejects.toBeInstanceOf(
      PrivateAddressError,
    );
    await expect(
      publicOnlyFetch('http://[::ffff:0:127.0.0.1]:9/hook', { method: 'POST', body: '{}' }),
    ).rejects.toBeInstanceOf(PrivateAddressError);
  });
});
