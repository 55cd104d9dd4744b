import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseKinds, type TestApp } from '../../testing/harness.js';

describe.each(databaseKinds)('sites and tenancy on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
  });
  afterAll(() => t?.dispose());

  it('serves public widget settings only, with no secrets or ids', async () => {
    const response = await t.request('GET', '/v1/sites/demo/config');
    expect(response.status).toBe(200);
    const config = await response.json();
    expect(Object.keys(config).sort()).toEqual(['callbackEnabled', 'consent', 'feedback', 'name', 'siteKey', 'widget']);
    expect(config.widget.texts.greeting).toEqual(expect.any(String));
    expect(config.feedback.npsQuestion).toEqual(expect.any(String));
    // Anti-abuse limits, blocked prefixes, the identity secret and pixel ids stay server-side.
    expect(JSON.stringify(config)).not.toMatch(/blockedPrefixes|perPhonePerDay|minFormSeconds/);
    expect(JSON.stringify(config)).not.toMatch(/secret|bks_|pixels|retention/i);
    expect(config.consent.mode).toBe('implied');
  });

  it('refuses the config to a page on a disallowed origin, and 404s unknown keys', async () => {
    const evil = await t.request('GET', '/v1/sites/demo/config', { headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect((await evil.json()).error.code).toBe('origin_not_allowed');
    const unknown = await t.request('GET', '/v1/sites/nope/config');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('unknown_site');
    // A key that could not be one names no site either (the id rule): 404, never the key echoed back.
    const invalid = await t.request('GET', '/v1/sites/%3Cscript%3E/config');
    expect(invalid.status).toBe(404);
    expect((await invalid.json()).error).toEqual({ code: 'unknown_site', message: 'No such site' });
  });

  it('creates a site with a default widget and lets admins edit allowed origins and appearance', async () => {
    const created = await t.request('POST', '/api/sites', {
      headers: admin.headers,
      body: { name: 'Acme Store', allowedOrigins: ['https://acme.example', 'https://*.acme.example'] },
    });
    expect(created.status).toBe(201);
    const { site } = await created.json();
    expect(site.key).toMatch(/^acme-store-/);
    const patched = await t.request('PATCH', `/api/sites/${site.id}`, {
      headers: admin.headers,
      body: {
        allowedOrigins: ['https://shop.acme.example'],
        widget: { ...site.widget, color: '#16a34a', launcherLabel: 'Talk to us' },
      },
    });
    expect(patched.status).toBe(200);
    const config = await (
      await t.request('GET', `/v1/sites/${site.key}/config`, { headers: { origin: 'https://shop.acme.example' } })
    ).json();
    expect(config.widget).toMatchObject({ color: '#16a34a', launcherLabel: 'Talk to us' });
    const wildcard = await t.request('GET', `/v1/sites/${site.key}/config`, {
      headers: { origin: 'https://www.acme.example' },
    });
    expect(wildcard.status).toBe(403); // the wildcard was replaced by the patch
  });

  it("speaks the visitor's language: per-language texts with the default as fallback, only that language sent, bounded to widget languages", async () => {
    const created = await t.request('POST', '/api/sites', { headers: admin.headers, body: { name: 'Riga Shop' } });
    const { site } = await created.json();
    const widget = {
      ...site.widget,
      auto: true,
      translations: { lv: { launcherLabel: 'Raksti mums', title: 'Sveiki!' }, hy: { greeting: 'Բարև ձեզ։' } },
    };
    const feedback = { ...site.feedback, translations: { lv: { npsQuestion: 'Vai jūs mūs ieteiktu?' } } };
    const consent = {
      ...site.consent,
      prompt: { ...site.consent.prompt, translations: { lv: { title: 'Jūsu privātums' } } },
    };
    const patched = await t.request('PATCH', `/api/sites/${site.id}`, {
      headers: admin.headers,
      body: { widget, feedback, consent },
    });
    expect(patched.status).toBe(200);
    const get = async (headers: Record<string, string>, query = '') =>
      (await t.request('GET', `/v1/sites/${site.key}/config${query}`, { headers })).json();

    const latvian = await get({ 'accept-language': 'lv-LV,lv;q=0.9,en;q=0.8' });
    expect(latvian.widget).toMatchObject({
      language: 'lv',
      launcherLabel: 'Raksti mums',
      texts: { title: 'Sveiki!', greeting: site.widget.texts.greeting },
    });
    expect(latvian.feedback.npsQuestion).toBe('Vai jūs mūs ieteiktu?');
    expect(latvian.feedback.csatQuestion).toBe(site.feedback.csatQuestion);
    expect(latvian.consent.prompt.texts).toMatchObject({
      title: 'Jūsu privātums',
      body: site.consent.prompt.texts.body,
    });
    // Only the visitor's language: no translations travel.
    expect(JSON.stringify(latvian)).not.toMatch(/translations|Բարև/);

    // A browser that prefers a language we do not speak gets its next one, else the site's default.
    expect((await get({ 'accept-language': 'pt-BR,hy;q=0.5' })).widget).toMatchObject({
      language: 'hy',
      texts: { greeting: 'Բարև ձեզ։', title: site.widget.texts.title },
    });
    expect((await get({ 'accept-language': 'uz-Cyrl,pt' })).widget.language).toBe('en');
    // `Beckon('language', tag)`: the page's choice wins; a bad tag is ignored, never a failed widget.
    expect((await get({ 'accept-language': 'lv' }, '?lang=ru')).widget.language).toBe('ru');
    expect((await get({ 'accept-language': 'lv' }, '?lang=%3Cscript%3E')).widget.language).toBe('lv');
    const res = await t.request('GET', `/v1/sites/${site.key}/config`, { headers: { 'accept-language': 'lv' } });
    expect(res.headers.get('vary')).toMatch(/Accept-Language/);

    // A fixed-language site ignores the browser but follows the page's explicit choice.
    await t.request('PATCH', `/api/sites/${site.id}`, {
      headers: admin.headers,
      body: { widget: { ...widget, auto: false } },
    });
    expect((await get({ 'accept-language': 'lv' })).widget.language).toBe('en');
    expect((await get({}, '?lang=lv')).widget.launcherLabel).toBe('Raksti mums');
    expect((await get({ 'accept-language': 'lv' }, '?lang=auto')).widget.language).toBe('lv');

    // Translations only for widget languages, and within the same limits as the default texts.
    const bad = await t.request('PATCH', `/api/sites/${site.id}`, {
      headers: admin.headers,
      body: { widget: { ...widget, translations: { pt: { title: 'Olá' }, lv: { title: 'x'.repeat(61) } } } },
    });
    expect(bad.status).toBe(400);
    const paths = (await bad.json()).error.details.map((issue: { path: string[] }) => issue.path.join('.'));
    // `pt` is no widget language: refused as an unknown key of the translations.
    expect(paths).toEqual(expect.arrayContaining(['widget.translations', 'widget.translations.lv.title']));
  });

  it('rejects bad site input with field errors and stores nothing', async () => {
    const before = (await (await t.request('GET', '/api/sites', { headers: admin.headers })).json()).sites.length;
    const bad = await t.request('POST', '/api/sites', {
      headers: admin.headers,
      body: { name: '', allowedOrigins: ['https://ok.example/path', 'javascript:alert(1)'] },
    });
    expect(bad.status).toBe(400);
    const paths = (await bad.json()).error.details.map((issue: { path: string[] }) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'allowedOrigins.0', 'allowedOrigins.1']));
    const badColour = await t.request('PATCH', `/api/sites/${admin.me.sites[0]!.id}`, {
      headers: admin.headers,
      body: { widget: { color: 'red' } },
    });
    expect(badColour.status).toBe(400);
    const taken = await t.request('POST', '/api/sites', {
      headers: admin.headers,
      body: { name: 'Again', key: 'demo' },
    });
    expect(taken.status).toBe(409);
    const after = (await (await t.request('GET', '/api/sites', { headers: admin.headers })).json()).sites.length;
    expect(after).toBe(before);
  });

  it('shows an agent only the sites it is a member of', async () => {
    const other = (
      await (await t.request('POST', '/api/sites', { headers: admin.headers, body: { name: 'Other brand' } })).json()
    ).site;
    const invite = await (
      await t.request('POST', '/api/agents/invites', {
        headers: admin.headers,
        body: { email: 'agent@example.test', name: 'Ann Agent', siteIds: [admin.me.sites[0]!.id] },
      })
    ).json();
    const token = new URL(invite.acceptUrl, 'http://x').searchParams.get('token');
    const accepted = await t.request('POST', '/api/invites/accept', { body: { token, password: 'agent password 1' } });
    expect(accepted.status).toBe(200);
    const agent = await t.login('agent@example.test', 'agent password 1');
    expect(agent.me.sites.map((site) => site.key)).toEqual(['demo']);
    const hidden = await t.request('GET', `/api/sites/${other.id}`, { headers: agent.headers });
    expect(hidden.status).toBe(404);
    const hiddenPageviews = await t.request('GET', `/api/sites/${other.id}/pageviews`, { headers: agent.headers });
    expect(hiddenPageviews.status).toBe(404);
    const cannotEdit = await t.request('PATCH', `/api/sites/${admin.me.sites[0]!.id}`, {
      headers: agent.headers,
      body: { name: 'Mine now' },
    });
    expect(cannotEdit.status).toBe(403);
    const cannotCreate = await t.request('POST', '/api/sites', { headers: agent.headers, body: { name: 'Mine' } });
    expect(cannotCreate.status).toBe(403);
    const cannotListTeam = await t.request('GET', '/api/agents', { headers: agent.headers });
    expect(cannotListTeam.status).toBe(403);
  });
});
