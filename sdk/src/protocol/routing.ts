import { z } from 'zod';
import { text } from './text.js';
import { temperatureSchema } from './scoring.js';
import { agentRefSchema, isoTimeSchema } from './refs.js';

export {
  assignmentCause,
  turnedHotReason,
  unansweredReason,
  type AssignmentCause,
} from './assignment-reasons.js';

/** Teams group a site's agents; routing rules target a team or one agent. */
export const teamInputSchema = z.object({
  name: text().trim().min(1).max(60),
  /** Agents of the site (members or admins); anyone else is refused. */
  agentIds: z.array(z.uuid()).max(200).default([]),
});
export type TeamInput = z.input<typeof teamInputSchema>;

export const teamSchema = z.object({
  id: text(),
  siteId: text(),
  name: text(),
  members: z.array(agentRefSchema),
  createdAt: isoTimeSchema,
});
export type Team = z.infer<typeof teamSchema>;
export const teamAnswerSchema = z.object({ team: teamSchema });
export const teamListAnswerSchema = z.object({ teams: z.array(teamSchema) });

export const routingChannels = ['chat', 'callback'] as const;
export type RoutingChannel = (typeof routingChannels)[number];

export const routingStrategies = ['round_robin', 'least_busy'] as const;
export const routingStrategySchema = z.enum(routingStrategies);
export type RoutingStrategy = z.infer<typeof routingStrategySchema>;

/**
 * Every condition is optional; all present ones must hold. An empty condition set matches everything
 * (a catch-all rule at the end of the list).
 */
export const routingConditionsSchema = z.object({
  /** Any of these temperatures. */
  temperatures: z.array(temperatureSchema).max(3).optional(),
  /** The visitor's current page (path, or a full URL), `*` = anything: `*pricing*`, `/products/*`. */
  page: text().trim().min(1).max(200).optional(),
  /** Where the visit came from: a UTM source, a referrer domain (subdomains too), or any paid ad click id. */
  source: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('utm_source'), value: text().trim().min(1).max(100) }),
      z.object({ kind: z.literal('referrer'), value: text().trim().toLowerCase().min(1).max(253) }),
      z.object({ kind: z.literal('paid') }),
    ])
    .optional(),
  /** Browser language prefixes, e.g. `de` (matches de, de-AT, de-CH). */
  languages: z
    .array(
      text()
        .trim()
        .toLowerCase()
        .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/, 'a language tag like de or pt-br'),
    )
    .max(20)
    .optional(),
  /** Only chats, or only callbacks. */
  channel: z.enum(routingChannels).optional(),
});
export type RoutingConditions = z.infer<typeof routingConditionsSchema>;

export const routingTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('team'), teamId: z.uuid() }),
  z.object({ kind: z.literal('agent'), agentId: z.uuid() }),
]);
export type RoutingTarget = z.infer<typeof routingTargetSchema>;

export const routingRuleSchema = z.object({
  /** Kept across edits so assignments can name the rule that chose them; new rules get one from the server. */
  id: text()
    .regex(/^rr_[A-Za-z0-9_-]{6,32}$/)
    .optional(),
  name: text().trim().min(1).max(80),
  enabled: z.boolean().default(true),
  conditions: routingConditionsSchema.default({}),
  target: routingTargetSchema,
  strategy: routingStrategySchema.default('round_robin'),
});
export type RoutingRuleInput = z.input<typeof routingRuleSchema>;
export type RoutingRule = z.infer<typeof routingRuleSchema> & { id: string };

/** `PUT /api/sites/:id/routing` (admin): the whole ordered list and the reassignment limit. */
export const routingSettingsSchema = z.object({
  rules: z.array(routingRuleSchema).max(50),
  /** A chat whose agent has not replied this long after assignment goes to someone else; 0 = never. */
  unansweredChatSeconds: z.number().int().min(0).max(86_400),
});
export type RoutingSettingsInput = z.input<typeof routingSettingsSchema>;

/** The rules as stored: every rule has its id. */
export const storedRoutingSettingsSchema = z.object({
  rules: z.array(routingRuleSchema.extend({ id: text() })),
  unansweredChatSeconds: z.number().int(),
});
export type RoutingSettings = z.infer<typeof storedRoutingSettingsSchema>;
export const routingSettingsAnswerSchema = z.object({ settings: storedRoutingSettingsSchema });
/** `GET /api/sites/:id/routing`: the rules, the teams and the agents rules may target. */
export const routingPageSchema = z.object({
  settings: storedRoutingSettingsSchema,
  teams: z.array(teamSchema),
  agents: z.array(z.object({ id: text(), name: text(), email: text() })),
});

export const defaultUnansweredChatSeconds = 120;

/** Which decision chose an assignment; stored with every automatic assignment and shown next to it. */
export const routingChoiceSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('rule'), ruleId: text(), ruleName: text(), strategy: routingStrategySchema }),
    z.object({ kind: z.literal('sticky'), ruleId: text().optional(), ruleName: text().optional() }),
    z.object({ kind: z.literal('default'), strategy: routingStrategySchema }),
  ])
  .meta({ id: 'RoutingChoice' });
export type RoutingChoice = z.infer<typeof routingChoiceSchema>;
