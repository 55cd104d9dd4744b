import type { Invitation, InvitationState } from '@beckon/sdk/protocol';

export const invitationLabels: Record<InvitationState, string> = {
  sent: 'Invited',
  seen: 'Invitation seen',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Invitation expired',
};

/** `sent` / `seen` past their expiry are `expired` (the server says the same when asked). */
export const effectiveState = (invitation: Invitation, now: number): InvitationState =>
  (invitation.state === 'sent' || invitation.state === 'seen') && Date.parse(invitation.expiresAt) <= now ? 'expired' : invitation.state;

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

export const defaultInviteMessage = (agentName: string, pageTitle: string | null) =>
  `Hi! I'm ${agentName.split(' ')[0]}. ${pageTitle ? `Any questions about “${pageTitle.slice(0, 60)}”? ` : ''}I'm happy to help.`;
