import { describe, expect, it } from 'vitest';
import { isOriginAllowed, isSameOriginRequest, pageOrigin } from './origin.js';

describe('isOriginAllowed', () => {
  const allowed = ['https://shop.example', 'https://*.brand.example', 'http://localhost:3000'];

  it('matches exact origins, case-insensitively', () => {
    expect(isOriginAllowed('https://shop.example', allowed)).toBe(true);
    expect(isOriginAllowed('https://SHOP.example', allowed)).toBe(true);
    expect(isOriginAllowed('http://shop.example', allowed)).toBe(false);
    expect(isOriginAllowed('http://localhost:3001', allowed)).toBe(false);
  });

  it('matches subdomains of a wildcard but not the look-alikes', () => {
    expect(isOriginAllowed('https://eu.brand.example', allowed)).toBe(true);
    expect(isOriginAllowed('https://a.b.brand.example', allowed)).toBe(true);
    expect(isOriginAllowed('https://evilbrand.example', allowed)).toBe(false);
    expect(isOriginAllowed('https://brand.example.evil.example', allowed)).toBe(false);
    expect(isOriginAllowed('http://eu.brand.example', allowed)).toBe(false);
  });

  it('never allows a missing or opaque origin', () => {
    expect(isOriginAllowed(undefined, allowed)).toBe(false);
    expect(isOriginAllowed('null', allowed)).toBe(false);
  });
});

describe('isSameOriginRequest', () => {
  const host = 'beckon.example:8443';

  it('lets Sec-Fetch-Site decide when the browser sent it', () => {
    expect(isSameOriginRequest({ secFetchSite: 'same-origin', host })).toBe(true);
    expect(isSameOriginRequest({ secFetchSite: 'none', host })).toBe(true);
    // A sibling subdomain is another site's page too.
    expect(isSameOriginRequest({ secFetchSite: 'same-site', origin: 'https://shop.example', host })).toBe(false);
    expect(isSameOriginRequest({ secFetchSite: 'cross-site', origin: `https://${host}`, host })).toBe(false);
  });

  it('otherwise compares Origin with the Host (or the configured public origin)', () => {
    expect(isSameOriginRequest({ origin: `https://${host}`, host })).toBe(true);
    expect(isSameOriginRequest({ origin: 'https://BECKON.example:8443', host })).toBe(true);
    expect(isSameOriginRequest({ origin: 'https://evil.example', host })).toBe(false);
    expect(isSameOriginRequest({ origin: 'https://beckon.example', host })).toBe(false);
    expect(isSameOriginRequest({ origin: 'null', host })).toBe(false);
    expect(
      isSameOriginRequest({ origin: 'https://beckon.example', host: 'localhost:3000' }, 'https://beckon.example'),
    ).toBe(true);
  });

  it('lets requests that no web page made through (no Origin, no Sec-Fetch-Site)', () => {
    expect(isSameOriginRequest({ host })).toBe(true);
  });
});

describe('pageOrigin', () => {
  it('is the Origin header when there is one', () => {
    expect(pageOrigin({ origin: 'https://shop.example', referer: 'https://other.example/x' })).toBe(
      'https://shop.example',
    );
  });
  it("is the Referer's origin for a same-origin request without Origin (long-polling from a page of this server)", () => {
    expect(pageOrigin({ 'sec-fetch-site': 'same-origin', referer: 'http://127.0.0.1:3000/demo/cart?x=1' })).toBe(
      'http://127.0.0.1:3000',
    );
  });
  it('names no page for a request that is not same-origin, or has neither header, or a garbled Referer', () => {
    expect(pageOrigin({ 'sec-fetch-site': 'cross-site', referer: 'https://evil.example/' })).toBeUndefined();
    expect(pageOrigin({ referer: 'https://evil.example/' })).toBeUndefined();
    expect(pageOrigin({})).toBeUndefined();
    expect(pageOrigin({ 'sec-fetch-site': 'same-origin', referer: 'not a url' })).toBeUndefined();
  });
});
