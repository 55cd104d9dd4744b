import { describe, expect, it } from 'vitest';
import { deviceClassOf, readUserAgent } from './device.js';

describe('deviceClassOf', () => {
  it('tells phones, tablets and desktops apart by their user agents', () => {
    expect(
      deviceClassOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'),
    ).toBe('mobile');
    expect(
      deviceClassOf('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36'),
    ).toBe('mobile');
    expect(
      deviceClassOf('Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 Chrome/126.0 Safari/537.36'),
    ).toBe('tablet');
    expect(deviceClassOf('Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15')).toBe('tablet');
    expect(
      deviceClassOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36'),
    ).toBe('desktop');
    expect(deviceClassOf('')).toBe('desktop');
  });
});

describe('readUserAgent', () => {
  const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36';
  const phone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
  const crawler = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

  it('reads crawlers and device classes, the same on every later read of a string', () => {
    for (let round = 0; round < 2; round++) {
      expect(readUserAgent(browser)).toEqual({ bot: false, device: 'desktop' });
      expect(readUserAgent(phone)).toEqual({ bot: false, device: 'mobile' });
      expect(readUserAgent(crawler)).toMatchObject({ bot: true });
      // No user agent at all is isbot's call too (it passes an empty one).
      expect(readUserAgent('')).toEqual({ bot: false, device: 'desktop' });
    }
  });

  it('stays right past its bound, and for strings too long to keep', () => {
    for (let i = 0; i < 2_500; i++) expect(readUserAgent(`${browser} build/${i}`).bot).toBe(false);
    expect(readUserAgent(`${crawler} ${'x'.repeat(600)}`).bot).toBe(true);
    expect(readUserAgent(`${phone} ${'y'.repeat(600)}`)).toEqual({ bot: false, device: 'mobile' });
    expect(readUserAgent(phone)).toEqual({ bot: false, device: 'mobile' });
  });
});
