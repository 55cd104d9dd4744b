import { verifyWebhook, WebhookVerificationError } from '@beckon/sdk/server';

/** Beckon's events are small; anything bigger is not from Beckon. */
const maxBodyBytes = 1024 * 1024;

/**
 * A Node `http` request handler that accepts Beckon webhooks the way a CRM should:
 * - verifies the Standard Webhooks signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
 *   with the endpoint's `whsec_...` secret, and refuses stale timestamps (replays) — 401;
 * - processes each `webhook-id` once: Beckon retries until it gets a 2xx, so the same event can
 *   arrive twice (a timeout after you processed it, or "redeliver" in the dashboard);
 * - answers 2xx only after `onEvent` finished, so a crash mid-way makes Beckon retry instead of losing it.
 *
 * `seen` is in memory here; a real CRM keeps processed ids in its database (a unique key on the id).
 */
export function createReceiver({ secret, onEvent, seen = new Set(), maxSeen = 10_000 }) {
  return async function receive(request, response) {
    const answer = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST') return answer(405, { error: 'POST only' });
    const chunks = [];
    let size = 0;
    for await (const chunk of request) {
      size += chunk.length;
      if (size > maxBodyBytes) return answer(413, { error: 'body too large' });
      chunks.push(chunk);
    }
    // Verify the raw bytes: re-serialised JSON would not match the signature.
    let verified;
    try {
      verified = await verifyWebhook({ secret, headers: request.headers, body: Buffer.concat(chunks) });
    } catch (error) {
      if (error instanceof WebhookVerificationError) return answer(401, { error: error.message });
      throw error;
    }
    const { id, event } = verified;
    if (seen.has(id)) return answer(200, { duplicate: true });
    try {
      await onEvent(event, id);
    } catch (error) {
      console.error('could not process', id, error);
      return answer(500, { error: 'processing failed; Beckon will retry' });
    }
    seen.add(id);
    if (seen.size > maxSeen) seen.delete(seen.values().next().value);
    return answer(200, { ok: true });
  };
}

/** One line per event, as a CRM import log would show it. */
export function describeEvent(event) {
  const { type, data } = event;
  const lead = data?.lead;
  const who = lead ? [lead.name, lead.email, lead.phone].filter(Boolean).join(' · ') || 'anonymous' : null;
  switch (type) {
    case 'lead.created':
      return `NEW LEAD  ${who}  via ${lead.channels.join(', ')}  (${data.touch?.summary ?? ''})`;
    case 'lead.updated':
      return `LEAD      ${who}  status=${lead.status}${data.changes ? `  changed ${data.changes.map((c) => c.field).join(', ')}` : `  ${data.touch?.summary ?? ''}`}`;
    case 'callback.requested': {
      const callback = data.callback ?? {};
      const when = callback.mode === 'now' ? 'now' : `by ${callback.dueAt}`;
      return `CALLBACK  ${[callback.name, callback.phone].filter(Boolean).join(' · ')}  call ${when}  ${data.dashboardUrl ?? ''}`;
    }
    case 'webhook.test':
      return `TEST      ${data.message}`;
    default:
      return `${type.padEnd(9)} ${JSON.stringify(data).slice(0, 160)}`;
  }
}
