import { describe, expect, it } from 'vitest';
import { addPending, mergeMessages, setPending } from './messages';
import { registerView, rememberUnsent, unsentFor, updateThread } from './outbox';

const agent = { id: 'a', name: 'Ann' };

describe('outbox', () => {
  it('keeps unsent messages of a conversation that is not on screen, and drops them once committed', () => {
    const thread = addPending([], { conversationId: 'c1', clientId: 'x1', text: 'hi', internal: false, agent });
    rememberUnsent('c1', thread);
    expect(unsentFor('c1').map((m) => m.clientId)).toEqual(['x1']);
    // The ack arrives after the agent switched away: it updates the stored list.
    updateThread('c1', (list) => setPending(list, 'x1', 'failed', 'timeout'));
    expect(unsentFor('c1')[0]!.pending).toBe('failed');
    updateThread('c1', (list) => {
      const { pending: _pending, error: _error, errorCode: _code, ...committed } = list[0]!;
      return mergeMessages(list, [{ ...committed, id: 'm1', seq: 3 }]);
    });
    expect(unsentFor('c1')).toEqual([]);
  });

  it('routes updates to the view on screen while it is registered', () => {
    let applied = 0;
    const off = registerView('c2', () => {
      applied++;
    });
    updateThread('c2', (list) => list);
    off();
    updateThread('c2', (list) => list);
    expect(applied).toBe(1);
  });
});
