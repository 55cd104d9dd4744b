import { describe, expect, it } from 'vitest';
import { createBeckon } from './index.js';

describe('createBeckon', () => {
  it('throws on programmer misuse, unlike the loader', () => {
    expect(() => createBeckon({ site: '', endpoint: 'https://beckon.test' })).toThrow(/site/);
    const beckon = createBeckon({
      site: 'demo',
      endpoint: 'https://beckon.test',
      autoPageviews: false,
      transport: { send: async () => 'ok' },
    });
    expect(() => beckon.track('')).toThrow(/track name/);
    // @ts-expect-error: a wrong decision is a type error and a runtime error
    expect(() => beckon.consent('maybe')).toThrow(/grant/);
  });

  it('sends nothing identifiable before consent in the default mode, and everything after a grant', async () => {
    const sent: { batch: { anonymous?: boolean; visitorId?: string; events: { type: string }[] } }[] = [];
    const choices: unknown[] = [];
    const beckon = createBeckon({
      site: 'demo',
      endpoint: 'https://beckon.test',
      autoPageviews: false,
      fetch: (async (url: string, init: RequestInit) => (
        choices.push([url, JSON.parse(String(init.body))]), new Response('{}')
      )) as typeof fetch,
      transport: { send: async (_url, batch) => (sent.push({ batch: structuredClone(batch) }), 'ok') },
    });
    beckon.identify({ email: 'ann@example.test' });
    beckon.page({ url: 'https://shop.test/pricing?gclid=abc' });
    await beckon.flush();
    expect(sent).toEqual([
      {
        batch: {
          site: 'demo',
          anonymous: true,
          events: [expect.objectContaining({ type: 'pageview', url: 'https://shop.test/pricing' })],
        },
      },
    ]);
    beckon.consent('grant', { analytics: true });
    beckon.identify({ email: 'ann@example.test' });
    await beckon.flush();
    expect(sent[1]!.batch).toMatchObject({ visitorId: beckon.visitorId, events: [{ type: 'identify' }] });
    expect(choices).toEqual([
      [
        'https://beckon.test/v1/consent',
        {
          site: 'demo',
          visitorId: beckon.visitorId,
          purposes: { analytics: true, marketing: false },
          policyVersion: '1',
          source: 'api',
        },
      ],
    ]);
  });

  it('sends what it records through the transport, with stable ids', async () => {
    const sent: unknown[] = [];
    const beckon = createBeckon({
      site: 'demo',
      endpoint: 'https://beckon.test',
      autoPageviews: false,
      consentMode: 'implied',
      transport: { send: async (url, batch) => (sent.push({ url, batch }), 'ok') },
    });
    beckon.identify({ email: 'ann@example.test' });
    await beckon.flush();
    expect(sent).toEqual([
      {
        url: 'https://beckon.test/v1/collect',
        batch: expect.objectContaining({
          site: 'demo',
          visitorId: beckon.visitorId,
          events: [expect.objectContaining({ type: 'identify', traits: { email: 'ann@example.test' } })],
        }),
      },
    ]);
  });
});
