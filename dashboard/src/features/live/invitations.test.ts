import { describe, expect, it } from 'vitest';
import type { Invitation } from '@beckon/sdk/protocol';
import { defaultInviteMessage, effectiveState, latestInvitations } from './invitations';

const invitation = (overrides: Partial<Invitation>): Invitation => ({
  id: 'i1',
  siteId: 's1',
  visitorId: 'v1',
  agentId: 'a1',
  agentName: 'Anna',
  message: 'Hi',
  state: 'sent',
  conversationId: null,
  createdAt: '2026-03-02T10:00:00.000Z',
  expiresAt: '2026-03-02T10:10:00.000Z',
  updatedAt: '2026-03-02T10:00:00.000Z',
  ...overrides,
});

describe('invitation state on the Visitors page', () => {
  it('keeps the latest invitation per visitor and its newest state, whatever order pushes arrive in', () => {
    const seen = invitation({ state: 'seen', updatedAt: '2026-03-02T10:00:05.000Z' });
    let map = latestInvitations(new Map(), [seen]);
    map = latestInvitations(map, [invitation({})]); // a late "sent"
    expect(map.get('v1')?.state).toBe('seen');
    const second = invitation({
      id: 'i2',
      createdAt: '2026-03-02T10:05:00.000Z',
      updatedAt: '2026-03-02T10:05:00.000Z',
    });
    map = latestInvitations(map, [second, invitation({ state: 'expired', updatedAt: '2026-03-02T10:05:00.000Z' })]);
    expect(map.get('v1')?.id).toBe('i2');
  });

  it('shows sent and seen invitations as expired once their time is up', () => {
    expect(effectiveState(invitation({}), Date.parse('2026-03-02T10:09:59Z'))).toBe('sent');
    expect(effectiveState(invitation({ state: 'seen' }), Date.parse('2026-03-02T10:10:00Z'))).toBe('expired');
    expect(effectiveState(invitation({ state: 'accepted' }), Date.parse('2026-03-02T11:00:00Z'))).toBe('accepted');
  });

  it('prefills a message with the agent and the page', () => {
    expect(defaultInviteMessage('Anna Berg', 'Pricing')).toBe(
      "Hi! I'm Anna. Any questions about “Pricing”? I'm happy to help.",
    );
  });
});
