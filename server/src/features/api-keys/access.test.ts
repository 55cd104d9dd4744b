import { describe, expect, it } from 'vitest';
import { routeAccess } from './access.js';

const site = '3F0D6C1E-0B7A-4C55-9A51-4B2F0C1D2E3F';
const id = '00000000-0000-4000-8000-000000000001';

describe('routeAccess: the routes an API key may reach', () => {
  it('names the scope and the site (lower-cased) of a per-site route', () => {
    expect(routeAccess('GET', `/api/sites/${site}/sync/leads`)).toEqual({
      scope: 'leads:read',
      siteId: site.toLowerCase(),
    });
    expect(routeAccess('PUT', `/api/sites/${site}/leads/by-external-id/crm-1`)?.scope).toBe('leads:write');
    expect(routeAccess('POST', `/api/sites/${site}/callbacks/${id}/close`)?.scope).toBe('callbacks:write');
    expect(routeAccess('DELETE', `/api/sites/${site}/webhooks/${id}`)?.scope).toBe('webhooks:write');
  });

  it('reads a report’s site from the query, and none means every site the key may see', () => {
    const query = new URLSearchParams({ siteId: site, from: '2026-01-01', to: '2026-01-31' });
    expect(routeAccess('GET', '/api/reports/speed', query)).toEqual({
      scope: 'reports:read',
      siteId: site.toLowerCase(),
    });
    expect(routeAccess('GET', '/api/reports/funnel/export.csv')).toEqual({ scope: 'reports:read', siteId: null });
  });

  it('refuses what no scope names: other methods, longer or shorter paths, spend and digest, key management', () => {
    for (const [method, path] of [
      ['POST', `/api/sites/${site}/sync/leads`],
      ['GET', `/api/sites/${site}/sync/leads/extra`],
      ['GET', `/api/sites/${site}/sync`],
      ['GET', `/api/sites/not-a-uuid/sync/leads`],
      ['POST', `/api/sites/${site}/callbacks/${id}/outcome`],
      ['GET', '/api/reports/spend'],
      ['GET', '/api/reports/digest'],
      ['GET', '/api/reports/unknown'],
      ['GET', '/api/api-keys'],
      ['GET', `/api/sites/${site}`],
      ['GET', '/api/leads'],
    ] as const)
      expect(routeAccess(method, path), `${method} ${path}`).toBeNull();
  });
});
