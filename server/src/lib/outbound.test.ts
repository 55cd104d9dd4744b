import { describe, expect, it } from 'vitest';
import { isPrivateAddress, privateHostReason, PrivateAddressError, publicLookup, publicOnlyFetch } from './outbound.js';

describe('outbound requests', () => {
  it('tells private, loopback, link-local and reserved addresses from public ones', () => {
    for (const address of ['127.0.0.1', '10.0.0.7', '172.20.1.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', '224.0.0.1']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(address), address).toBe(false);
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
    const error = await new Promise<Error | null>((resolve) => publicLookup('localhost', { all: true }, (caught) => resolve(caught)));
    expect(error).toBeInstanceOf(PrivateAddressError);
  });

  it('does not connect to a private address', async () => {
    await expect(publicOnlyFetch('http://127.0.0.1:9/hook', { method: 'POST', body: '{}' })).rejects.toBeInstanceOf(PrivateAddressError);
  });
});
