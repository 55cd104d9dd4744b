import { describe, expect, it } from 'vitest';
import type { LivePageview } from '@beckon/sdk/protocol';
import {
  liveStats,
  mergePageviews,
  pageHost,
  pagePath,
  referrerLabel,
  relativeTime,
  shortId,
  visitorHue,
} from './pageviews';

const t0 = Date.parse('2025-03-01T12:00:00Z');

const pv = (id: string, secondsAgo: number, visitorId = 'v1', extra: Partial<LivePageview> = {}): LivePageview => ({
  id,
  siteId: 's1',
  visitorId,
  sessionId: 'sess1',
  url: 'https://shop.example.com/',
  title: null,
  referrer: null,
  receivedAt: new Date(t0 - secondsAgo * 1000).toISOString(),
  ...extra,
});

describe('mergePageviews', () => {
  it('prepends new ones, newest first', () => {
    const list = [pv('b', 20), pv('a', 30)];
    expect(mergePageviews(list, [pv('c', 1)]).map((p) => p.id)).toEqual(['c', 'b', 'a']);
  });

  it('keeps each id once when a push races the REST list', () => {
    const pushed = [pv('c', 1)];
    const rest = [pv('c', 1), pv('b', 20)];
    expect(mergePageviews(pushed, rest).map((p) => p.id)).toEqual(['c', 'b']);
  });

  it('sorts late arrivals into place', () => {
    expect(mergePageviews([pv('new', 1), pv('old', 100)], [pv('mid', 50)]).map((p) => p.id)).toEqual([
      'new',
      'mid',
      'old',
    ]);
  });

  it('caps the list', () => {
    const list = Array.from({ length: 10 }, (_, i) => pv(`p${i}`, i + 1));
    const merged = mergePageviews(list, [pv('x', 0)], 5);
    expect(merged.map((p) => p.id)).toEqual(['x', 'p0', 'p1', 'p2', 'p3']);
  });
});

describe('liveStats', () => {
  it('counts pageviews and distinct visitors in the window', () => {
    const list = [pv('a', 10, 'v1'), pv('b', 20, 'v1'), pv('c', 200, 'v2'), pv('d', 301, 'v3'), pv('e', 3600, 'v4')];
    expect(liveStats(list, t0)).toEqual({ pageviews: 3, visitors: 2 });
  });

  it('is zero for an empty list', () => {
    expect(liveStats([], t0)).toEqual({ pageviews: 0, visitors: 0 });
  });
});

describe('pagePath / pageHost', () => {
  it('shows the path and query of a URL', () => {
    expect(pagePath('https://shop.example.com/p/42?ref=x#top')).toBe('/p/42?ref=x');
    expect(pagePath('https://shop.example.com')).toBe('/');
    expect(pagePath('not a url')).toBe('not a url');
    expect(pageHost('https://shop.example.com:8443/x')).toBe('shop.example.com:8443');
    expect(pageHost('nope')).toBeNull();
  });
});

describe('referrerLabel', () => {
  const page = 'https://shop.example.com/cart';
  it('labels direct, internal and external referrers', () => {
    expect(referrerLabel(null, page)).toEqual({ label: 'Direct', kind: 'direct' });
    expect(referrerLabel('', page)).toEqual({ label: 'Direct', kind: 'direct' });
    expect(referrerLabel('https://shop.example.com/products?c=2', page)).toEqual({
      label: '/products?c=2',
      kind: 'internal',
    });
    expect(referrerLabel('https://www.google.com/search?q=x', page)).toEqual({ label: 'google.com', kind: 'external' });
    expect(referrerLabel('android-app://x', page).kind).toBe('external');
  });
});

describe('formatting', () => {
  it('shortens ids', () => {
    expect(shortId('abcdefghij')).toBe('abcdef');
    expect(shortId('abc')).toBe('abc');
  });

  it('says how long ago', () => {
    const at = (seconds: number) => new Date(t0 - seconds * 1000).toISOString();
    expect(relativeTime(at(2), t0)).toBe('just now');
    expect(relativeTime(at(-3), t0)).toBe('just now');
    expect(relativeTime(at(42), t0)).toBe('42 s ago');
    expect(relativeTime(at(180), t0)).toBe('3 min ago');
    expect(relativeTime(at(7200), t0)).toBe('2 h ago');
    expect(relativeTime(at(3 * 86400), t0)).not.toBe('');
    expect(relativeTime('garbage', t0)).toBe('');
  });

  it('gives each visitor a stable hue', () => {
    expect(visitorHue('visitor-1')).toBe(visitorHue('visitor-1'));
    expect(visitorHue('visitor-1')).toBeGreaterThanOrEqual(0);
    expect(visitorHue('visitor-1')).toBeLessThan(360);
  });
});
