import type { z } from 'zod';
import type { ErrorBody } from './errors.js';
import type { LiveVisitor, watchVisitorsSchema } from './visitors.js';
import type { ScoringJob, TemperatureChange } from './scoring.js';
import type {
  Ack,
  AgentPresence,
  ChatMessage,
  ConversationSummary,
  agentSendMessageSchema,
  presenceSchema,
  readSchema,
} from './chat.js';
import type { LeadSummary } from './leads.js';
import type { Callback } from './callbacks.js';
import type { Feedback } from './feedback.js';
import type { Invitation } from './triggers.js';

/** A pageview as the dashboard's Live page shows it. */
import type { LivePageview } from './collect.js';
export type { LivePageview };

/** `/agent` namespace: server → dashboard. */
export interface AgentServerToClient {
  /**
   * Pageviews of a site whose Visitors page this tab shows (`visitors:watch`), as they are committed: what one
   * group commit stored arrives as one frame per site (a busy site sends thousands a second; one frame each
   * would cost a write each).
   */
  'pageviews:new': (pageviews: LivePageview[]) => void;
  'site:updated': (site: { id: string }) => void;
  /** Progress of a site's rescoring job (`scoring:job` while it runs and once when it ends). */
  'scoring:job': (job: ScoringJob) => void;
  /**
   * Visitors whose visit changed (new page, engagement, identification, score): Visitors page rows, one frame
   * per commit and site, to tabs that watch the site's Visitors page (`visitors:watch`).
   */
  'visitors:updated': (visitors: LiveVisitor[]) => void;
  /**
   * Rows that left the Visitors page before their time: a pre-consent (anonymous) row whose browser consented
   * (to tabs that watch the site's Visitors page).
   */
  'visitors:gone': (gone: { visitorIds: string[] }) => void;
  /** A visitor's temperature changed (hot / warm / cold), with the explanation. */
  'visitor:score': (change: TemperatureChange) => void;
  /** A conversation was created or changed (assignment, status, last message, unread count). */
  'conversations:updated': (conversations: ConversationSummary[]) => void;
  /**
   * Every message of the agent's sites, internal notes included, in commit order. Messages stored together
   * (group commit) arrive together: one frame per agent instead of one per message.
   */
  'messages:new': (messages: ChatMessage[]) => void;
  /** `preview` is what the visitor is typing, when the site allows previews. */
  'visitor:typing': (typing: { conversationId: string; typing: boolean; preview?: string }) => void;
  /** The visitor has read the agent messages up to `seq`. */
  'message:read': (read: { conversationId: string; seq: number }) => void;
  'presence:updated': (presence: AgentPresence) => void;
  /** A site's canned responses changed: open inboxes reload them. */
  'canned:updated': (changed: { siteId: string }) => void;
  /** This agent's own chosen status, to every tab they have open (on connect and on every change). */
  'presence:self': (presence: { status: 'online' | 'away' }) => void;
  /** A lead was created or changed (new touch, status, assignee, score). */
  'lead:updated': (lead: LeadSummary) => void;
  /** A callback request arrived (pushed after commit). */
  'callback:new': (callback: Callback) => void;
  /** Taken, outcome recorded, reassigned or flagged overdue. */
  'callback:updated': (callback: Callback) => void;
  /** Escalation: a callback missed its deadline; every agent of the site is told. */
  'callback:overdue': (callback: Callback) => void;
  /** A feedback answer was stored (the Feedback page refreshes its numbers). */
  'feedback:new': (feedback: Feedback) => void;
  /** An agent's chat invitation was sent, seen, accepted, declined or expired. */
  'invitation:updated': (invitation: Invitation) => void;
  error: (error: ErrorBody['error']) => void;
}

/** `/agent` namespace: dashboard → server. Lists come over REST; chat traffic goes over the socket. */
export interface AgentClientToServer {
  'message:send': (message: z.input<typeof agentSendMessageSchema>, ack: Ack<{ message: ChatMessage }>) => void;
  'messages:since': (
    since: { conversationId: string; afterSeq: number },
    ack: Ack<{ messages: ChatMessage[] }>,
  ) => void;
  'agent:typing': (typing: { conversationId: string; typing: boolean }) => void;
  'message:read': (read: z.input<typeof readSchema>) => void;
  'presence:set': (presence: z.input<typeof presenceSchema>, ack: Ack<{ presence: AgentPresence }>) => void;
  /** This tab shows (or no longer shows) a site's Visitors page: its live rows and pageviews start (or stop). */
  'visitors:watch': (watch: z.input<typeof watchVisitorsSchema>, ack: Ack<{ watching: boolean }>) => void;
}

/** Room naming shared by every node so fan-out through the adapter reaches the right sockets. */
export const siteRoom = (siteId: string) => `site:${siteId}`;
/** Every socket of one chat visitor (several tabs), in the `/visitor` namespace. */
export const chatVisitorRoom = (chatVisitorId: string) => `chat-visitor:${chatVisitorId}`;
/** Dashboard tabs showing a site's Visitors page (`visitors:watch`), in the `/agent` namespace. */
export const siteWatchersRoom = (siteId: string) => `site-watchers:${siteId}`;
/** Every visitor socket of a site, for availability changes. */
export const siteVisitorsRoom = (siteId: string) => `site-visitors:${siteId}`;
