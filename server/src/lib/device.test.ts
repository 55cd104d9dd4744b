import { describe, expect, it } from 'vitest';
import { deviceClassOf } from './device.js';

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
