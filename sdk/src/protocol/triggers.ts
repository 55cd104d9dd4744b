import { z } from 'zod';
import { text } from './text.js';
import { widgetLanguages } from './languages.js';
import { clientIdSchema } from './collect.js';
import { siteKeySchema } from './site-key.js';

export { maxTriggersPerSite } from './constants.js';

/**
 * What must hold for a trigger to fire: every condition given (absent = not checked). At least one is
 * required, so a rule can never fire on every page for everyone.
 * - `timeOnPage`: visible seconds on the current page view.
 * - `scroll`: scroll depth of the page view in percent (the tracker reports quarters).
 * - `exitIntent`: the pointer left through the top (desktop), a fast scroll back up or the tab hidden (phones).
 * - `url`: the page's path matches (`*` = anything), same syntax as scoring rules: `*pricing*`, `/products/*`.
 * - `visit`: the visitor's visit number is at least this (2 = returning visitors).
 * - `utmSource`: this visit's `utm_source` equals this (case-insensitive).
 * - `hot`: the visitor's temperature became hot (the server says so in the collect answer or over the chat socket).
 */
export const triggerConditionsSchema = z
  .object({
    timeOnPage: z.number().int().min(1).max(3600).optional(),
    scroll: z.number().int().min(1).max(100).optional(),
    exitIntent: z.literal(true).optional(),
    url: text().trim().min(1).max(200).optional(),
    visit: z.number().int().min(1).max(1000).optional(),
    utmSource: text().trim().min(1).max(100).optional(),
    hot: z.literal(true).optional(),
  })
  .strict()
  .refine((conditions) => Object.values(conditions).some((value) => value !== undefined), 'at least one condition');
export type TriggerConditions = z.infer<typeof triggerConditionsSchema>;

export const triggerActionKinds = ['chat', 'callback', 'feedback'] as const;
export type TriggerActionKind = (typeof triggerActionKinds)[number];

/**
 * What the widget does: `chat` opens the chat with `message` shown as a greeting from the team;
 * `callback` opens the callback form with `message` above it; `feedback` asks the NPS question
 * (`message`, optional, replaces the question's intro line).
 */
export const triggerActionSchema = z
  .object({
    kind: z.enum(triggerActionKinds),
    message: text().trim().max(400).default(''),
    /** `message` in other widget languages; the widget shows the visitor's, else `message`. */
    messages: z.partialRecord(z.enum(widgetLanguages), text().trim().min(1).max(400)).optional(),
  })
  .refine((action) => action.kind === 'feedback' || action.message.length > 0, {
    message: 'a message',
    path: ['message'],
  });
export type TriggerAction = z.infer<typeof triggerActionSchema>;

/** Once per browser session, or once per N days (kept on the visitor's device only when consent allows storage). */
export const triggerFrequencySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('session') }),
  z.object({ kind: z.literal('days'), days: z.number().int().min(1).max(365) }),
]);
export type TriggerFrequency = z.infer<typeof triggerFrequencySchema>;

export const triggerInputSchema = z.object({
  name: text().trim().min(1).max(80),
  enabled: z.boolean().default(true),
  conditions: triggerConditionsSchema,
  action: triggerActionSchema,
  frequency: triggerFrequencySchema.default({ kind: 'session' }),
});
export type TriggerInput = z.input<typeof triggerInputSchema>;

export const triggerSchema = z.object({
  id: text(),
  name: text(),
  enabled: z.boolean(),
  conditions: triggerConditionsSchema,
  action: triggerActionSchema,
  frequency: triggerFrequencySchema,
  createdAt: text(),
  updatedAt: text(),
});
export type Trigger = z.infer<typeof triggerSchema>;

/** What the widget gets in the public site config: enabled rules only, without their names. */
export interface PublicTrigger {
  id: string;
  conditions: TriggerConditions;
  action: TriggerAction;
  frequency: TriggerFrequency;
}

// ——— Agent invitations ("Invite to chat" on the Visitors page) ———

export const invitationStates = ['sent', 'seen', 'accepted', 'declined', 'expired'] as const;
export type InvitationState = (typeof invitationStates)[number];
/** An invitation not answered within this long expires. */
export const invitationTtlMs = 10 * 60_000;

export const createInvitationSchema = z.object({
  visitorId: clientIdSchema,
  message: text().trim().min(1).max(400),
});
export type CreateInvitation = z.input<typeof createInvitationSchema>;

/** An invitation as the dashboard sees it (pushed as `invitation:updated`). */
export const invitationSchema = z.object({
  id: text(),
  siteId: text(),
  visitorId: text(),
  agentId: text().nullable(),
  agentName: text(),
  message: text(),
  state: z.enum(invitationStates),
  conversationId: text().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type Invitation = z.infer<typeof invitationSchema>;
export const invitationAnswerSchema = z.object({ invitation: invitationSchema });
export const invitationListSchema = z.object({ invitations: z.array(invitationSchema) });

/** What the widget gets: who invites and what they wrote (text only). */
export const visitorInvitationSchema = z.object({ id: text(), agentName: text(), message: text() });
export type VisitorInvitation = z.infer<typeof visitorInvitationSchema>;
/** `POST /v1/invitations/:id` answer: the invitation's state now. */
export const invitationReportAnswerSchema = z.object({ state: z.enum(invitationStates) });

/** `POST /v1/invitations/:id` — the widget showed the invitation, or the visitor closed it. */
export const invitationReportSchema = z.object({
  site: siteKeySchema,
  visitorId: clientIdSchema,
  state: z.enum(['seen', 'declined']),
});
export type InvitationReport = z.infer<typeof invitationReportSchema>;

/**
 * `POST /v1/ping` — the keepalive the loader sends while the tab is visible (analytics consent only):
 * it keeps the visitor on the Visitors page and picks up an agent's invitation within seconds.
 */
export const pingSchema = z.object({ site: siteKeySchema, visitorId: clientIdSchema });
export type Ping = z.infer<typeof pingSchema>;

/** The part of the collect and ping answers the trigger engine reads. */
export const liveAnswerSchema = z.object({
  /** The visitor is hot: since when (ms since the epoch). */
  hot: z.number().int().optional(),
  /** An agent invites the visitor to chat. */
  invite: visitorInvitationSchema.optional(),
});
export type LiveAnswer = z.infer<typeof liveAnswerSchema>;

/** `/visitor` socket: `invitation:accept` answers the invitation with a conversation assigned to the inviting agent. */
export const acceptInvitationSchema = z.object({ invitationId: z.uuid() });

export const triggerAnswerSchema = z.object({ trigger: triggerSchema });
export const triggerListSchema = z.object({ triggers: z.array(triggerSchema) });
