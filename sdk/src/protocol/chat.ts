import { z } from 'zod';
import { text } from './text.js';
import { routingChoiceSchema } from './routing.js';
import { temperatureSchema } from './scoring.js';
import type { ErrorBody } from './errors.js';
import { clientIdSchema } from './collect.js';
import { siteKeySchema } from './site-key.js';
import type { VisitorInvitation } from './triggers.js';
import { translationsOf } from './languages.js';

export const maxMessageLength = 4000;

export const fieldModes = ['off', 'optional', 'required'] as const;
const fieldMode = z.enum(fieldModes);

const timeOfDay = text().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 09:00');

/** Opening hours in the site's own timezone; `null` means always open. */
export const businessHoursSchema = z.object({
  timezone: text().min(1).max(64),
  /** One entry per open day (0 = Sunday); a day may be listed twice for a lunch break. */
  intervals: z.array(z.object({ day: z.number().int().min(0).max(6), open: timeOfDay, close: timeOfDay })).max(28),
});
export type BusinessHours = z.infer<typeof businessHoursSchema>;

/** Per-site chat behaviour, edited in the dashboard; everything here may be shown to visitors. */
export const chatSettingsSchema = z.object({
  prechat: z.object({ name: fieldMode, email: fieldMode, phone: fieldMode }),
  businessHours: businessHoursSchema.nullable(),
  /** Let agents see what the visitor is typing before it is sent (off for privacy-sensitive sites). */
  typingPreview: z.boolean(),
  /** First message the visitor sees, from the team. */
  greeting: text().trim().max(400),
  /** Sent once when the visitor's first message has no agent reply yet; `{minutes}` is filled in. */
  autoReply: text().trim().max(400),
  /**
   * `greeting` and `autoReply` in other widget languages: a visitor gets the ones of their widget's
   * language, else the defaults (written in the site's `widget.language`). Never sent to visitors.
   */
  translations: translationsOf({
    greeting: text().trim().min(1).max(400),
    autoReply: text().trim().min(1).max(400),
  }).optional(),
  expectedReplyMinutes: z.number().int().min(1).max(1440),
});
export type ChatSettings = z.infer<typeof chatSettingsSchema>;

export const defaultChatSettings: ChatSettings = {
  prechat: { name: 'optional', email: 'optional', phone: 'off' },
  businessHours: null,
  typingPreview: true,
  greeting: 'Hi! How can we help you today?',
  autoReply: 'Thanks for your message! We usually answer within {minutes} minutes.',
  expectedReplyMinutes: 5,
};

export const messageAuthors = ['visitor', 'agent', 'system'] as const;
export type MessageAuthor = (typeof messageAuthors)[number];

const iso = z.iso.datetime({ offset: true });
const agentRefSchema = z.object({ id: text(), name: text() });

/** A message as both sides see it. `seq` orders a conversation and is what clients resync from. */
export const chatMessageSchema = z
  .object({
    id: text(),
    conversationId: text(),
    seq: z.number().int(),
    clientId: text(),
    author: z.enum(messageAuthors),
    /** Set for agent messages: who wrote it, as the visitor may see it. */
    agent: agentRefSchema.nullable(),
    /** Internal notes are for agents only and are never sent to a visitor socket. */
    internal: z.boolean(),
    text: text(),
    createdAt: iso,
  })
  .meta({ id: 'ChatMessage' });
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const conversationStatuses = ['open', 'closed'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];

export const conversationSummarySchema = z
  .object({
    id: text(),
    siteId: text(),
    status: z.enum(conversationStatuses),
    /** `offline` when the visitor left a message while no agent was available. */
    channel: z.enum(['chat', 'offline']),
    visitor: z.object({
      id: text(),
      name: text().nullable(),
      email: text().nullable(),
      phone: text().nullable(),
      currentUrl: text().nullable(),
      /** The person page this visitor links to (null until the chat is tied to a person). Always sent by the server. */
      personId: text().nullable().optional(),
      /** The one display name (`displayName` in persons.ts): the person's when known. Always sent by the server. */
      displayName: text().optional(),
    }),
    assignee: agentRefSchema.nullable(),
    lastMessage: z.object({ text: text(), author: z.enum(messageAuthors), createdAt: iso }).nullable(),
    lastSeq: z.number().int(),
    /** Agents have read the visitor's messages up to this sequence number. */
    agentReadSeq: z.number().int(),
    /** The visitor has read the agents' messages up to this sequence number. */
    visitorReadSeq: z.number().int(),
    /** Messages from the visitor the agents have not read yet. */
    unread: z.number().int(),
    createdAt: iso,
    closedAt: iso.nullable(),
    csat: z.object({ rating: z.number().int(), comment: text().nullable() }).nullable(),
    /** The visitor's temperature (lead scoring) when last known; the Unassigned list puts hot first. Always sent by the server. */
    temperature: temperatureSchema.nullable().optional(),
    /** Which routing decision chose the current assignee (null: taken or transferred by hand, or unassigned). Always sent by the server. */
    routing: routingChoiceSchema.nullable().optional(),
  })
  .meta({ id: 'ConversationSummary' });
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;
export const conversationListSchema = z.object({ conversations: z.array(conversationSummarySchema) });

/** One assignment change of a conversation, for its history. */
export const conversationEventSchema = z.object({
  kind: text(),
  from: text().nullable(),
  to: text().nullable(),
  by: text(),
  reason: text().nullable(),
  /** The routing decision behind an automatic assignment. */
  routing: routingChoiceSchema.nullable().optional(),
  at: iso,
});
export type ConversationEvent = z.infer<typeof conversationEventSchema>;

/** Who the visitor is and where they have been, for the sidebar next to a conversation. */
export const visitorContextSchema = z.object({
  id: text(),
  name: text().nullable(),
  email: text().nullable(),
  phone: text().nullable(),
  currentUrl: text().nullable(),
  firstSeenAt: iso,
  lastSeenAt: iso,
  referrer: text().nullable(),
  utm: z.record(text(), text()),
  /** The session of the latest pageview: the visit going on now. */
  currentSessionId: text().nullable(),
  pages: z.array(z.object({ url: text(), title: text().nullable(), at: iso, sessionId: text().nullable() })),
  earlierConversations: z.array(conversationSummarySchema),
});
export type VisitorContext = z.infer<typeof visitorContextSchema>;

export const conversationDetailSchema = z.object({
  conversation: conversationSummarySchema,
  /** All of them, internal notes included, oldest first. */
  messages: z.array(chatMessageSchema),
  events: z.array(conversationEventSchema),
  visitor: visitorContextSchema,
});
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;

/** The answer of actions that only succeed or fail (take, transfer, close…). */
export const okSchema = z.object({ ok: z.literal(true) });

export const prechatSchema = z.object({
  name: text().trim().max(100).optional(),
  email: text().trim().toLowerCase().email().max(254).optional(),
  phone: text().trim().max(40).optional(),
});
export type Prechat = z.infer<typeof prechatSchema>;

export const visitorAuthSchema = z.object({
  site: siteKeySchema,
  /** Returned by the server in `chat:ready`; absent on a visitor's first chat. */
  token: text().min(20).max(100).optional(),
  /** The page the chat was opened on. */
  url: text().max(2048).optional(),
  /** The behaviour stream's visitor id on this page, so agents see the pages this visitor viewed. */
  visitorId: clientIdSchema.optional(),
  /**
   * The widget's language now (`lv`): the greeting and auto-reply come in it. A tag we do not speak is
   * ignored (the site's language applies), not refused: an odd page must not cost the visitor the chat.
   */
  language: text().max(35).optional(),
});
export type VisitorAuth = z.infer<typeof visitorAuthSchema>;

export const sendMessageSchema = z.object({
  clientId: clientIdSchema,
  text: text().trim().min(1).max(maxMessageLength),
  prechat: prechatSchema.optional(),
});
export const agentSendMessageSchema = sendMessageSchema.omit({ prechat: true }).extend({
  conversationId: z.uuid(),
  internal: z.boolean().default(false),
});
export const sinceSchema = z.object({ conversationId: z.uuid().optional(), afterSeq: z.number().int().min(0) });
export const typingSchema = z.object({ typing: z.boolean(), preview: text().max(maxMessageLength).optional() });
export const readSchema = z.object({ conversationId: z.uuid().optional(), seq: z.number().int().min(0) });
export const csatSchema = z.object({
  conversationId: z.uuid(),
  rating: z.number().int().min(1).max(5),
  comment: text().trim().max(1000).optional(),
});
export const offlineMessageSchema = z.object({
  clientId: clientIdSchema,
  name: text().trim().max(100).optional(),
  email: text().trim().toLowerCase().email().max(254),
  text: text().trim().min(1).max(maxMessageLength),
});

/**
 * Where an agent's reply goes, shown in the reply box: `live` (the visitor has the chat open), `email`
 * (the visitor left; the reply is emailed to `email`), `no_smtp` (left with an email, but no SMTP server
 * is configured), `no_email` (left without an email: they read it when they come back).
 */
export const replyDeliverySchema = z.object({
  mode: z.enum(['live', 'email', 'no_smtp', 'no_email']),
  email: text().nullable(),
});
export type ReplyDelivery = z.infer<typeof replyDeliverySchema>;
export const replyDeliveryAnswerSchema = z.object({ delivery: replyDeliverySchema });

/** The visitor asks for the chat's transcript by email (their open or last conversation). */
export const transcriptRequestSchema = z.object({ email: text().trim().toLowerCase().email().max(254) });

export type Ack<T> = (reply: ({ ok: true } & T) | { ok: false; error: ErrorBody['error'] }) => void;

export interface ChatAvailability {
  /** An agent is online and the site is inside its business hours. */
  available: boolean;
  reason: 'online' | 'no_agents' | 'closed';
}

export interface ChatReady extends ChatAvailability {
  /** Store this (it is strictly necessary for the chat) and send it back on the next connection. */
  token: string;
  conversation: ConversationSummary | null;
  /** The open conversation's messages (visible to the visitor), oldest first. */
  messages: ChatMessage[];
  /** In the visitor's language (`greeting`, `autoReply`), without the other languages' translations. */
  settings: ChatSettings;
  /** The server can send email (SMTP configured): the widget offers a transcript by email. */
  emailAvailable?: boolean;
}

/** `/visitor` namespace: server → widget. */
export interface VisitorServerToClient {
  'chat:ready': (ready: ChatReady) => void;
  'message:new': (message: ChatMessage) => void;
  'agent:typing': (typing: { conversationId: string; typing: boolean; agentName: string }) => void;
  'message:read': (read: { conversationId: string; seq: number }) => void;
  'conversation:assigned': (assigned: { conversationId: string; agent: { id: string; name: string } | null }) => void;
  'conversation:closed': (closed: { conversationId: string }) => void;
  'chat:availability': (availability: ChatAvailability) => void;
  /** An agent invites this visitor to chat (also delivered in the collect and ping answers). */
  'invitation:new': (invitation: VisitorInvitation) => void;
  /** The visitor's temperature became hot (ms since the epoch), for the "became hot" trigger. */
  'visitor:hot': (hot: { at: number }) => void;
  error: (error: ErrorBody['error']) => void;
}

/** The answer to `message:send`. */
export interface MessageSent {
  message: ChatMessage;
  autoReply?: ChatMessage;
}

/** `/visitor` namespace: widget → server. Every payload is validated by the server. */
export interface VisitorClientToServer {
  /**
   * Acked once stored. A send that opened the conversation may carry the site's auto-reply in its ack
   * (`autoReply`): the sending tab gets it there, the visitor's other tabs as `message:new`.
   */
  'message:send': (message: z.input<typeof sendMessageSchema>, ack: Ack<MessageSent>) => void;
  'messages:since': (since: z.input<typeof sinceSchema>, ack: Ack<{ messages: ChatMessage[] }>) => void;
  'visitor:typing': (typing: z.input<typeof typingSchema>) => void;
  'message:read': (read: z.input<typeof readSchema>) => void;
  'csat:submit': (csat: z.input<typeof csatSchema>, ack: Ack<object>) => void;
  'offline:message': (message: z.input<typeof offlineMessageSchema>, ack: Ack<{ conversationId: string }>) => void;
  /** Emails the visitor's conversation (open or last) to them; acked once the mail server took it. */
  'transcript:request': (request: z.input<typeof transcriptRequestSchema>, ack: Ack<object>) => void;
  /** Answers an agent's invitation: opens a conversation assigned to that agent, starting with their message. */
  'invitation:accept': (
    accept: { invitationId: string },
    ack: Ack<{ conversationId: string; messages: ChatMessage[] }>,
  ) => void;
}

export const agentStatuses = ['online', 'away'] as const;
export type AgentStatus = (typeof agentStatuses)[number] | 'offline';
export const presenceSchema = z.object({ status: z.enum(agentStatuses) });

export const agentPresenceSchema = z.object({
  agentId: text(),
  name: text(),
  status: z.enum([...agentStatuses, 'offline']),
});
export type AgentPresence = z.infer<typeof agentPresenceSchema>;
export const agentPresenceListSchema = z.object({ agents: z.array(agentPresenceSchema) });

/** `POST /api/sites/:id/canned-responses` — a canned response agents insert by its shortcut. */
export const cannedResponseBodySchema = z.object({
  shortcut: text()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[\w-]+$/, 'letters, digits, "-" and "_"'),
  text: text().trim().min(1).max(maxMessageLength),
});
export type CannedResponseBody = z.infer<typeof cannedResponseBodySchema>;
export const cannedResponseSchema = z.object({ id: text(), shortcut: text(), text: text() });
export type CannedResponse = z.infer<typeof cannedResponseSchema>;
export const cannedResponseListSchema = z.object({ cannedResponses: z.array(cannedResponseSchema) });
export const cannedResponseAnswerSchema = z.object({ cannedResponse: cannedResponseSchema });

/** `POST /api/conversations/:id/transfer` — hand a conversation to another agent. */
export const transferBodySchema = z.object({ agentId: z.uuid(), reason: text().trim().max(200).optional() });
export type TransferBody = z.infer<typeof transferBodySchema>;
