import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      BECKON_DATA_DIR: './.beckon',
      BECKON_DEMO_SITE_KEY: 'demo',
      BECKON_TRUST_PROXY: false,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('lets V8 grow the old generation to 4× what a full collection kept unless told otherwise, within 0-1000 %', () => {
    expect(loadConfig({}).BECKON_HEAP_GROWTH_PERCENT).toBe(300);
    expect(loadConfig({ BECKON_HEAP_GROWTH_PERCENT: '0' }).BECKON_HEAP_GROWTH_PERCENT).toBe(0);
    expect(() => loadConfig({ BECKON_HEAP_GROWTH_PERCENT: '-5' })).toThrow(/BECKON_HEAP_GROWTH_PERCENT/);
    expect(() => loadConfig({ BECKON_HEAP_GROWTH_PERCENT: 'lots' })).toThrow(/BECKON_HEAP_GROWTH_PERCENT/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });

  it('names every bad variable in one message', () => {
    const attempt = () =>
      loadConfig({ PORT: '70000', BECKON_ADMIN_EMAIL: 'not-an-email', BECKON_DEMO_SITE_KEY: 'has spaces' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT[\s\S]*BECKON_ADMIN_EMAIL: must be an email address[\s\S]*BECKON_DEMO_SITE_KEY/);
  });

  it('refuses an admin password without an admin email', () => {
    expect(() => loadConfig({ BECKON_ADMIN_PASSWORD: 'long enough password' })).toThrow(/BECKON_ADMIN_EMAIL is not/);
  });

  it('takes a metrics token only if a scraper could not guess it, and never one that would not fit a header', () => {
    expect(loadConfig({ BECKON_METRICS_TOKEN: 'a-long-random-scrape-token' }).BECKON_METRICS_TOKEN).toBe(
      'a-long-random-scrape-token',
    );
    expect(() => loadConfig({ BECKON_METRICS_TOKEN: 'short' })).toThrow(
      /BECKON_METRICS_TOKEN: must be at least 16 characters/,
    );
    expect(() => loadConfig({ BECKON_METRICS_TOKEN: 'has a space in the token' })).toThrow(
      /BECKON_METRICS_TOKEN: must not contain spaces/,
    );
  });
});
