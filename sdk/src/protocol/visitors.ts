import type { PersonRef } from './persons.js';
import type { Temperature, ScoreExplanation, Outcome } from './scoring.js';
import type { Utm, ClickIdType } from './collect.js';

export { isAnonymousVisitorId, liveVisitorWindowMs } from './constants.js';

/** Where a visit came from, as the Visitors page shows it. */
export interface VisitSource {
  referrerDomain: string | null;
  utm: Utm;
  clickIdType: ClickIdType | null;
}

/** A visitor as the Visitors page lists them (pushed in `visitors:updated`). */
export interface LiveVisitor {
  siteId: string;
  visitorId: string;
  name: string | null;
  email: string | null;
  /** The visitor's person (its page) and the one display name; absent for a visitor nobody identified yet. */
  person?: PersonRef | null | undefined;
  currentUrl: string | null;
  currentTitle: string | null;
  /** This visit (server session: 30 minutes idle ends it). */
  sessionStartedAt: string;
  lastSeenAt: string;
  pagesThisVisit: number;
  visitNumber: number;
  source: VisitSource;
  score: number;
  temperature: Temperature;
  explanation: ScoreExplanation;
}

export interface VisitorSession {
  id: string;
  number: number;
  startedAt: string;
  lastSeenAt: string;
  landingUrl: string | null;
  pageviews: number;
  engagedMs: number;
  source: VisitSource;
}

export interface VisitorPage {
  url: string;
  title: string | null;
  at: string;
  sessionId: string | null;
}

/** `GET /api/sites/:id/visitors/:visitorId` */
export interface VisitorDetail extends LiveVisitor {
  firstSeenAt: string;
  phone: string | null;
  outcome: Outcome | null;
  sessions: VisitorSession[];
  pages: VisitorPage[];
}
