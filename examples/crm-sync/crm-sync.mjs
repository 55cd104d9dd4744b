// The part of a CRM integration that talks to Beckon's API, on the typed client `@beckon/sdk/server`
// (Node 20+, native fetch): retries, Retry-After, the key's rate limit and Idempotency-Key are the client's.
import { createBeckonClient } from '@beckon/sdk/server';

/**
 * @param {{ baseUrl: string; apiKey: string; siteId: string; fetch?: typeof fetch }} options
 */
export function createCrmSync({ baseUrl, apiKey, siteId, fetch }) {
  const site = createBeckonClient({ baseUrl, apiKey, ...(fetch ? { fetch } : {}) }).site(siteId);

  return {
    /**
     * Every lead created or changed after `cursor` (null: from the beginning, or from `updatedSince`),
     * page by page. Keep the returned `cursor` and pass it next time: a lead that changes while you page
     * comes again later, so nothing is missed.
     */
    async pullLeads({ cursor = null, updatedSince, pageSize = 100 } = {}) {
      const leads = site.sync('leads', { cursor, pageSize, ...(updatedSince ? { updatedSince } : {}) });
      const pulled = [];
      for await (const lead of leads) pulled.push(lead);
      return { leads: pulled, cursor: leads.cursor };
    },

    /** Records the CRM's own id on a lead (creates the lead when Beckon has none with that id or email). */
    linkLead(externalId, fields) {
      return site.upsertLead(externalId, fields);
    },

    /**
     * Won / lost back to Beckon (it learns which visitors buy). `match` is `{ externalId }`, `{ email }`,
     * `{ leadId }` or `{ personId }`. Pass the same `idempotencyKey` when you retry after a crash; the client
     * reuses it by itself for its own retries.
     */
    async pushOutcomes(outcomes, idempotencyKey) {
      return { results: await site.recordOutcomes(outcomes, idempotencyKey ? { idempotencyKey } : {}) };
    },
  };
}
