import { describe, expect, it } from 'vitest';
import { createBeckon } from './index.js';

describe('createBeckon', () => {
  it('throws on programmer misuse, unlike the loader', () => {
    expect(() => createBeckon({ site: '', endpoint: 'https://beckon.test' })).toThrow(/site/);
    const beckon = createBeckon({ site: 'demo', endpoint: 'https://beckon.test', autoPageviews: false, transport: { send: async () => 'ok' } });
    expect(() => beckon.track('')).toThrow(/track name/);
    // @ts-expect-error: a wrong decision is a type error and a runtime error
    expect(() => beckon.consent('maybe')).toThrow(/grant/);
  });

  it('sends what it records through the transport, with stable ids', async () => {
    const sent: unknown[] = [];
    const beckon = createBeckon({
      site: 'demo',
      endpoint: 'https://beckon.test',
      autoPageviews: false,
      transport: { send: async (url, batch) => (sent.push({ url, batch }), 'ok') },
    });
    beckon.identify({ email: 'ann@example.test' });
    await beckon.flush();
    expect(sent).toEqual([
      {
        url: 'https://beckon.test/v1/collect',
        batch: expect.objectContaining({ site: 'demo', visitorId: beckon.visitorId, events: [expect.objectContaining({ type: 'identify', traits: { email: 'ann@example.test' } })] }),
      },
    ]);
  });
});
