import type { ApiLead, BulkOutcomeResult, LeadUpsert, OutcomeInput } from '@beckon/sdk/server';

export interface CrmSync {
  pullLeads(options?: {
    cursor?: string | null;
    updatedSince?: string;
    pageSize?: number;
  }): Promise<{ leads: ApiLead[]; cursor: string | null }>;
  linkLead(externalId: string, fields: LeadUpsert): Promise<{ lead: ApiLead; created: boolean }>;
  pushOutcomes(outcomes: OutcomeInput[], idempotencyKey?: string): Promise<{ results: BulkOutcomeResult[] }>;
}

export function createCrmSync(options: { baseUrl: string; apiKey: string; siteId: string; fetch?: typeof fetch }): CrmSync;
