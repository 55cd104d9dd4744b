import { z } from 'zod';
import { text } from './text.js';
import type { ConsentSource } from './consent.js';
import type { LeadSummary } from './leads.js';
import type { Outcome, VisitorScore } from './scoring.js';

/**
 * A person: every visitor id (browser or device), conversation, callback, feedback answer, consent
 * choice and the lead of one human on one site, tied together by normalised email / E.164 phone.
 */

/** What every list shows for a person, and where its link goes. */
export interface PersonRef {
  id: string;
  /** `displayName`: name, else email, else phone, else the person's stable label. */
  name: string;
}

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

/**
 * What a person audit line says, as values the dashboard words in the agent's language, by `action`:
 * - `created`: `source` (how the person was first seen: identify, chat, callback, feedback);
 * - `identified`: `field` (name, email, phone, userId), `value`, `source`;
 * - `merged`: into this person `other` (their name, email, phone; null: none known), `otherId`, `same`
 *   (what matched: email, phone, browser), `source`; or, on the person merged away, `into`, `intoId`, `source`;
 * - `browser_linked`: `contacts` (the email/phone told), `userId` (a verified one), `source`;
 * - `browser_shared`: `other`, `otherId` and `shared` (`uses_theirs`: this person used the other's browser;
 *   `used_yours`: the other used this person's);
 * - `outcome`: `outcome` (won, lost; null: cleared).
 * Rows written before it may have none (`{}`): show `detail`, the English sentence.
 */
export interface PersonAuditData {
  source?: string;
  field?: string;
  value?: string;
  other?: string | null;
  otherId?: string;
  same?: 'email' | 'phone' | 'browser';
  into?: string | null;
  intoId?: string;
  contacts?: string[];
  userId?: string | null;
  shared?: 'uses_theirs' | 'used_yours';
  outcome?: 'won' | 'lost' | null;
}

/** The person's own audit: identities linked, persons merged in, outcomes (who, when, what). */
export interface PersonAuditEntry {
  at: string;
  by: { id: string; name: string } | null;
  action: string;
  /** The line in English (the fallback for rows without `data`). */
  detail: string;
  /** The line as codes and values, for the agent's language. Always sent by the server. */
  data?: PersonAuditData | undefined;
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
