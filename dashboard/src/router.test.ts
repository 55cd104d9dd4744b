import { describe, expect, it } from 'vitest';
import { href, matchPath, matchRoutes, stripBase } from './router';

describe('stripBase', () => {
  it('maps app URLs to in-app paths', () => {
    expect(stripBase('/app')).toBe('/');
    expect(stripBase('/app/')).toBe('/');
    expect(stripBase('/app/sites/demo/live')).toBe('/sites/demo/live');
  });

  it('rejects paths outside the app, including look-alikes', () => {
    expect(stripBase('/')).toBeNull();
    expect(stripBase('/apple')).toBeNull();
    expect(stripBase('/api/me')).toBeNull();
  });
});

describe('href', () => {
  it('prefixes the base', () => {
    expect(href('/')).toBe('/app/');
    expect(href('')).toBe('/app/');
    expect(href('/team')).toBe('/app/team');
    expect(href('team')).toBe('/app/team');
    expect(href('/accept-invite?token=x')).toBe('/app/accept-invite?token=x');
  });
});

describe('matchPath', () => {
  it('matches static paths, ignoring trailing slashes', () => {
    expect(matchPath('/team', '/team')).toEqual({});
    expect(matchPath('/team', '/team/')).toEqual({});
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/team', '/teams')).toBeNull();
  });

  it('extracts and decodes params', () => {
    expect(matchPath('/sites/:key/live', '/sites/demo/live')).toEqual({ key: 'demo' });
    expect(matchPath('/sites/:key/live', '/sites/my%20shop/live')).toEqual({ key: 'my shop' });
  });

  it('needs the same number of segments', () => {
    expect(matchPath('/sites/:key', '/sites/demo/live')).toBeNull();
    expect(matchPath('/sites/:key/live', '/sites/demo')).toBeNull();
    expect(matchPath('/', '/team')).toBeNull();
  });

  it('does not throw on malformed escapes', () => {
    expect(matchPath('/sites/:key', '/sites/%E0%A4%A')).toBeNull();
  });

  it('supports a trailing wildcard', () => {
    expect(matchPath('/docs/*', '/docs/a/b')).toEqual({ '*': 'a/b' });
    expect(matchPath('/docs/*', '/docs')).toEqual({ '*': '' });
  });
});

describe('matchRoutes', () => {
  const routes = [
    { path: '/', value: 'home' },
    { path: '/sites/:key', value: 'site' },
    { path: '/sites/:key/live', value: 'live' },
  ];

  it('returns the first match with its params', () => {
    expect(matchRoutes(routes, '/sites/demo/live')).toEqual({ value: 'live', params: { key: 'demo' } });
    expect(matchRoutes(routes, '/sites/demo')).toEqual({ value: 'site', params: { key: 'demo' } });
    expect(matchRoutes(routes, '/')).toEqual({ value: 'home', params: {} });
    expect(matchRoutes(routes, '/nope')).toBeNull();
  });
});
