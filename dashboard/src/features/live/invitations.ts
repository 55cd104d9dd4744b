import type { Invitation, InvitationState } from '@beckon/sdk/protocol';
import { t } from './i18n';

const invitationKeys = {
  sent: 'invitationSent',
  seen: 'invitationSeen',
  accepted: 'invitationAccepted',
  declined: 'invitationDeclined',
  expired: 'invitationExpired',
} as const;
/** An invitation's state in the dashboard's language. */
export const invitationLabel = (state: InvitationState) => t(invitationKeys[state]);

/** `sent` / `seen` past their expiry are `expired` (the server says the same when asked). */
export const effectiveState = (invitation: Invitation, now: number): InvitationState =>
  (invitation.state === 'sent' || invitation.state === 'seen') && Date.parse(invitation.expiresAt) <= now
    ? 'expired'
    : invitation.state;

/** Keeps each visitor's latest invitation, and the newest version of it (pushes can arrive out of order). */
export function latestInvitations(current: Map<string, Invitation>, incoming: Invitation[]): Map<string, Invitation> {
  const next = new Map(current);
  for (const invitation of incoming) {
    const known = next.get(invitation.visitorId);
    const newer =
      !known ||
      Date.parse(invitation.createdAt) > Date.parse(known.createdAt) ||
      (known.id === invitation.id && Date.parse(invitation.updatedAt) >= Date.parse(known.updatedAt));
    if (newer) next.set(invitation.visitorId, invitation);
  }
  return next;
}

/** The prefilled invitation, in the agent's language (they edit it before sending). */
export const defaultInviteMessage = (agentName: string, pageTitle: string | null) =>
  pageTitle
    ? t('defaultInviteAboutPage', { name: agentName.split(' ')[0]!, page: pageTitle.slice(0, 60) })
    : t('defaultInvite', { name: agentName.split(' ')[0]! });
