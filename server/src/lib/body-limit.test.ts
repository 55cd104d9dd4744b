import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { limitBody } from './body-limit.js';

const app = new Hono()
  .use(limitBody({ maxSize: 10, onError: (c) => c.json({ error: { code: 'payload_too_large' } }, 413) }))
  .post('/echo', async (c) => c.text(await c.req.text()));

/** A body sent in chunks, without a Content-Length (what a streaming client does). */
const chunked = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });

describe('limitBody', () => {
  it('passes a body within the limit through unread', async () => {
    const response = await app.request('/echo', {
      method: 'POST',
      body: '0123456789',
      headers: { 'content-length': '10' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('0123456789');
  });

  it('refuses a declared length over the limit', async () => {
    const response = await app.request('/echo', {
      method: 'POST',
      body: '01234567890',
      headers: { 'content-length': '11' },
    });
    expect(response.status).toBe(413);
  });

  it('counts a chunked body as it streams, and refuses it once it passes the limit', async () => {
    const over = await app.request('/echo', {
      method: 'POST',
      body: chunked('012345', '678901'),
      duplex: 'half',
    } as RequestInit);
    expect(over.status).toBe(413);
    const within = await app.request('/echo', {
      method: 'POST',
      body: chunked('01234', '5678'),
      duplex: 'half',
    } as RequestInit);
    expect(await within.text()).toBe('012345678');
  });
});
