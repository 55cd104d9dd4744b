import { describe, expect, it } from 'vitest';
import {
  addOrigins,
  normalizeOrigin,
  originErrors,
  removeOrigin,
  sameOrigins,
  validateOrigin,
  withPendingOrigin,
} from './origins';

describe('normalizeOrigin', () => {
  it('lower-cases, trims and drops paths', () => {
    expect(normalizeOrigin('  HTTPS://Shop.Example.com/  ')).toBe('https://shop.example.com');
    expect(normalizeOrigin('https://shop.example.com/products/1?x=1#top')).toBe('https://shop.example.com');
    expect(normalizeOrigin('http://localhost:8080/')).toBe('http://localhost:8080');
  });

  it('adds https:// when the scheme is missing', () => {
    expect(normalizeOrigin('shop.example.com')).toBe('https://shop.example.com');
    expect(normalizeOrigin('*.example.com')).toBe('https://*.example.com');
  });

  it('keeps wildcards', () => {
    expect(normalizeOrigin('https://*.Example.com')).toBe('https://*.example.com');
  });

  it('returns empty for blank input', () => {
    expect(normalizeOrigin('   ')).toBe('');
  });
});

describe('validateOrigin', () => {
  it('accepts origins the server accepts', () => {
    for (const origin of [
      'https://shop.example.com',
      'http://localhost:3000',
      'https://*.example.com',
      'http://127.0.0.1:8080',
    ]) {
      expect(validateOrigin(origin), origin).toBeNull();
    }
  });

  it('rejects everything else with a reason', () => {
    expect(validateOrigin('')).toMatch(/Enter/);
    expect(validateOrigin('ftp://example.com')).toMatch(/http/);
    expect(validateOrigin('https://user@example.com')).toMatch(/user name/);
    expect(validateOrigin('https://exa mple.com')).toMatch(/origin like/);
    expect(validateOrigin('https://shop.*.example.com')).toMatch(/origin like/);
    expect(validateOrigin(`https://${'a'.repeat(200)}.com`)).toMatch(/too long/);
  });
});

describe('addOrigins', () => {
  it('adds a normalized origin', () => {
    expect(addOrigins(['https://a.com'], 'B.com/path')).toEqual({
      origins: ['https://a.com', 'https://b.com'],
      error: null,
    });
  });

  it('adds several pasted at once and skips duplicates among them', () => {
    expect(addOrigins(['https://a.com'], 'https://a.com, b.com\nhttp://localhost:3000')).toEqual({
      origins: ['https://a.com', 'https://b.com', 'http://localhost:3000'],
      error: null,
    });
  });

  it('reports a single duplicate', () => {
    expect(addOrigins(['https://a.com'], 'a.com')).toEqual({
      origins: ['https://a.com'],
      error: 'https://a.com is already in the list.',
    });
  });

  it('adds nothing when one entry is invalid', () => {
    const result = addOrigins([], 'a.com ftp://b.com');
    expect(result.origins).toEqual([]);
    expect(result.error).toMatch(/^ftp:\/\/b\.com: /);
  });

  it('enforces the maximum', () => {
    expect(addOrigins(['https://a.com'], 'b.com', 1).error).toMatch(/at most 1/);
  });

  it('asks for input when empty', () => {
    expect(addOrigins([], '  ').error).toBe('Enter an origin.');
  });
});

describe('removeOrigin / sameOrigins', () => {
  it('removes by index without touching the input', () => {
    const list = ['https://a.com', 'https://b.com', 'https://c.com'];
    expect(removeOrigin(list, 1)).toEqual(['https://a.com', 'https://c.com']);
    expect(list).toHaveLength(3);
  });

  it('compares in order', () => {
    expect(sameOrigins(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameOrigins(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameOrigins(['a'], ['a', 'b'])).toBe(false);
  });
});

describe('originErrors', () => {
  it('splits server field errors into rows and the list message', () => {
    const { rows, list } = originErrors({ 'allowedOrigins.2': 'bad', allowedOrigins: 'too many', name: 'other' });
    expect([...rows]).toEqual([[2, 'bad']]);
    expect(list).toBe('too many');
  });
});

describe('withPendingOrigin', () => {
  it('adds what was typed without pressing Add, takes an origin already listed as there, and refuses what is not an origin', () => {
    expect(withPendingOrigin(['https://a.example'], '  shop.example.com/cart ')).toEqual({
      origins: ['https://a.example', 'https://shop.example.com'],
      error: null,
    });
    expect(withPendingOrigin(['https://a.example'], '')).toEqual({ origins: ['https://a.example'], error: null });
    expect(withPendingOrigin(['https://a.example'], 'https://A.example/')).toEqual({
      origins: ['https://a.example'],
      error: null,
    });
    const refused = withPendingOrigin(['https://a.example'], 'ftp://files.example');
    expect(refused.origins).toEqual(['https://a.example']);
    expect(refused.error).toMatch(/http:\/\/ and https:\/\//);
  });
});
