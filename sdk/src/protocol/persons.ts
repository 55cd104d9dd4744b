import { z } from 'zod';
import { text } from './text.js';
import type { ConsentSource } from './consent.js';
import type { LeadSummary } from './leads.js';
import type { Outcome, VisitorScore } from './scoring.js';

/**
 * A person: every visitor id (browser or device), conversation, callback, feedback answer, consent
 * choice and the lead of one human on one site, tied together by normalised email / E.164 phone.
 */

export { personRefSchema, type PersonRef } from './refs.js';

export { displayName, visitorLabel } from './display-name.js';

export interface PersonSummary {
  id: string;
  siteId: string;
  displayName: string;
  name: string | null;
  email: string | null;
  /** E.164. */
  phone: string | null;
  label: string;
  /** Won / lost: what scoring learns from. */
  outcome: Outcome | null;
  createdAt: string;
  updatedAt: string;
}

export interface PersonVisit {
  visitorId: string;
  number: number;
  startedAt: string;
  lastSeenAt: string;
  landingUrl: string | null;
  referrerDomain: string | null;
  pageviews: number;
  country: string | null;
}

export interface PersonConversation {
  id: string;
  status: 'open' | 'closed';
  channel: 'chat' | 'offline';
  assignee: { id: string; name: string } | null;
  createdAt: string;
  closedAt: string | null;
  csat: { rating: number; comment: string | null } | null;
  /** Readable in place: every message, agents' internal notes marked. */
  messages: {
    author: 'visitor' | 'agent' | 'system';
    agentName: string | null;
    internal: boolean;
    text: string;
    createdAt: string;
  }[];
}

export interface PersonCallback {
  id: string;
  status: string;
  phone: string;
  outcome: string | null;
  note: string | null;
  dueAt: string;
  assignee: { id: string; name: string } | null;
  createdAt: string;
}

export interface PersonFeedback {
  id: string;
  kind: string;
  score: number | null;
  message: string | null;
  createdAt: string;
}

export interface PersonConsent {
  visitorId: string;
  analytics: boolean;
  marketing: boolean;
  source: ConsentSource;
  gpc: boolean;
  recordedAt: string;
}

/** The person's own audit: identities linked, persons merged in, outcomes (who, when, what). */
export interface PersonAuditEntry {
  at: string;
  by: { id: string; name: string } | null;
  action: string;
  detail: string;
}

/** `GET /api/persons/:id`: the person page. */
export interface PersonDetail {
  person: PersonSummary;
  score: VisitorScore | null;
  visitorIds: string[];
  visits: PersonVisit[];
  pages: { url: string; title: string | null; at: string }[];
  conversations: PersonConversation[];
  callbacks: PersonCallback[];
  feedback: PersonFeedback[];
  consent: PersonConsent[];
  audit: PersonAuditEntry[];
  lead: LeadSummary | null;
}

/** `POST /api/persons/:id/outcome`. */
export const personOutcomeSchema = z.object({ outcome: z.enum(['won', 'lost']).nullable() }).strict();

/** `POST /api/sites/:id/privacy/requests`: export or erase a person by what they told you. */
export const privacyRequestSchema = z
  .object({
    action: z.enum(['export', 'erase']),
    email: text().trim().max(254).optional(),
    phone: text().trim().max(40).optional(),
  })
  .strict()
  .refine((value) => Boolean(value.email || value.phone), {
    message: 'Give the email or the phone number the person told you',
  });
export type PrivacyRequest = z.infer<typeof privacyRequestSchema>;
