import { z } from 'zod';
import { text } from './text.js';
import { siteSchema } from './site.js';
import { dashboardLanguages } from './constants.js';

export { dashboardLanguages, type DashboardLanguage } from './constants.js';

export const agentRoles = ['admin', 'agent'] as const;
export const agentRoleSchema = z.enum(agentRoles);
export type AgentRole = z.infer<typeof agentRoleSchema>;

export const emailSchema = text().trim().toLowerCase().email().max(254);
export const passwordSchema = text().min(10, 'at least 10 characters').max(200);

export const loginSchema = z.object({
  email: emailSchema,
  // Any length is checked against the hash; length rules apply when a password is set.
  password: text().min(1).max(200),
});
export type Login = z.input<typeof loginSchema>;

export const agentSchema = z.object({
  id: text(),
  email: text(),
  name: text(),
  role: agentRoleSchema,
});
export type Agent = z.infer<typeof agentSchema>;

export const dashboardLanguageSchema = z.enum(dashboardLanguages);

/** `PATCH /api/me`: the agent's own preferences. */
export const updateMeSchema = z.strictObject({
  language: dashboardLanguageSchema,
});
export type UpdateMe = z.input<typeof updateMeSchema>;

/** `GET /api/me` and the body of a successful login. */
export const meSchema = z.object({
  agent: agentSchema,
  sites: z.array(siteSchema),
  /** Send back as the `x-csrf-token` header on every cookie-authenticated write. */
  csrfToken: text(),
  /** The dashboard language the agent chose; null: not chosen yet (the browser's language applies). */
  language: dashboardLanguageSchema.nullable(),
});
export type Me = z.infer<typeof meSchema>;

/** An admin invites a colleague; the answer holds a one-time link to set a password. */
export const inviteAgentSchema = z.object({
  email: emailSchema,
  name: text().trim().min(1).max(100),
  role: agentRoleSchema.default('agent'),
  siteIds: z.array(z.uuid()).max(200).default([]),
});
export type InviteAgent = z.input<typeof inviteAgentSchema>;

export const inviteCreatedSchema = z.object({
  agent: agentSchema,
  /** Path (relative to the server) where the invited agent sets a password; shown once. */
  acceptUrl: text(),
  expiresAt: text(),
  /** Where the link was emailed (SMTP configured and the mail server took it); null: copy it by hand. */
  emailedTo: text().nullable().optional(),
});
export type InviteCreated = z.infer<typeof inviteCreatedSchema>;

export const acceptInviteSchema = z.object({
  token: text().min(20).max(200),
  password: passwordSchema,
});
export type AcceptInvite = z.input<typeof acceptInviteSchema>;

export const teamMemberSchema = agentSchema.extend({
  siteIds: z.array(text()),
  status: z.enum(['active', 'invited']),
});
export type TeamMember = z.infer<typeof teamMemberSchema>;
export const teamListSchema = z.object({ agents: z.array(teamMemberSchema) });
export const teamMemberAnswerSchema = z.object({ agent: teamMemberSchema });
/** `PUT /api/agents/:id/sites`: the sites an agent works on (admins see every site anyway). */
export const agentSitesSchema = z.object({ siteIds: z.array(z.uuid()).max(500) });
