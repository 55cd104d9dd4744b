import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from './origin.js';

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
