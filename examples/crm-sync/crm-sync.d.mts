import type { ApiLead, BulkOutcomeResult, LeadUpsert } from '@beckon/sdk/protocol';

export interface CrmSync {
  pullLeads(options?: { cursor?: string | null; updatedSince?: string; pageSize?: number }): Promise<{ leads: ApiLead[]; cursor: string | null }>;
  linkLead(externalId: string, fields: LeadUpsert): Promise<{ lead: ApiLead; created: boolean }>;
  pushOutcomes(
    outcomes: { match: { externalId: string } | { email: string } | { leadId: string } | { personId: string }; outcome: 'won' | 'lost' | null }[],
    idempotencyKey?: string,
  ): Promise<{ results: BulkOutcomeResult[] }>;
}

export function createCrmSync(options: { baseUrl: string; apiKey: string; siteId: string; fetch?: typeof fetch }): CrmSync;
