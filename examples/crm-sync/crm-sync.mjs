// The part of a CRM integration that talks to Beckon's API: no dependencies, Node 20+ (global fetch).
import { randomUUID } from 'node:crypto';

/**
 * @param {{ baseUrl: string; apiKey: string; siteId: string; fetch?: typeof fetch }} options
 */
export function createCrmSync({ baseUrl, apiKey, siteId, fetch: fetchImpl = fetch }) {
  const root = `${baseUrl.replace(/\/+$/, '')}/api/sites/${encodeURIComponent(siteId)}`;

  async function call(method, path, { body, idempotencyKey } = {}) {
    for (let attempt = 0; ; attempt++) {
      const response = await fetchImpl(`${root}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      // Over the key's limit, or the server briefly unavailable: wait as told and send the same request
      // again (POSTs carry the same Idempotency-Key, so a retry never applies twice).
      if ((response.status === 429 || response.status === 503) && attempt < 3) {
        const wait = Number(response.headers.get('retry-after') ?? '1');
        await new Promise((resolve) => setTimeout(resolve, Math.min(60, Math.max(1, wait)) * 1000));
        continue;
      }
      const text = await response.text();
      const json = text ? JSON.parse(text) : null;
      if (!response.ok) {
        const error = new Error(
          `${method} ${path}: ${response.status} ${json?.error?.code ?? ''} ${json?.error?.message ?? ''}`.trim(),
        );
        error.status = response.status;
        throw error;
      }
      return json;
    }
  }

  return {
    /**
     * Every lead created or changed after `cursor` (null: from the beginning, or from `updatedSince`),
     * page by page. Keep the returned `cursor` and pass it next time: a lead that changes while you page
     * comes again later, so nothing is missed.
     * @param {{ cursor?: string | null; updatedSince?: string; pageSize?: number }} [options]
     */
    async pullLeads({ cursor = null, updatedSince, pageSize = 100 } = {}) {
      const leads = [];
      let next = cursor;
      for (;;) {
        const query = new URLSearchParams({ limit: String(pageSize) });
        if (next) query.set('cursor', next);
        else if (updatedSince) query.set('updated_since', updatedSince);
        const page = await call('GET', `/sync/leads?${query}`);
        leads.push(...page.items);
        next = page.resumeCursor;
        if (!page.hasMore) return { leads, cursor: next };
      }
    },

    /** Records the CRM's own id on a lead (creates the lead when Beckon has none with that id or email). */
    linkLead(externalId, fields) {
      return call('PUT', `/leads/by-external-id/${encodeURIComponent(externalId)}`, { body: fields });
    },

    /**
     * Won / lost back to Beckon (it learns which visitors buy). `match` is `{ externalId }`, `{ email }`,
     * `{ leadId }` or `{ personId }`. Pass the same `idempotencyKey` when you retry.
     */
    pushOutcomes(outcomes, idempotencyKey = randomUUID()) {
      return call('POST', '/outcomes', { body: { outcomes }, idempotencyKey });
    },
  };
}
