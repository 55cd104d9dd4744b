import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../lib/i18n';
import { fullTime } from '../../lib/format';
import { touchText } from './touch';

/** Timeline touches are stored as kind + data and worded here, in the agent's language (issue 20). */
describe('lead touches in the agent’s language', () => {
  afterEach(() => setLocale('en'));

  const requested = {
    kind: 'callback.requested',
    summary: 'Asked to be called now at +37120000000',
    data: { mode: 'now', phone: '+37120000000' },
  };
  const outcome = {
    kind: 'callback.outcome',
    summary: 'Reached (Ilze): call her back',
    data: { outcome: 'reached', agentName: 'Ilze', note: 'Zvanīt rīt', retryAt: null, agentId: 'a1' },
  };
  const feedback = {
    kind: 'feedback.submitted',
    summary: 'NPS 9/10: Great',
    data: { kind: 'nps', score: 9, text: 'Great' },
  };
  const chat = { kind: 'chat.started', summary: 'Started a chat: Hello', data: { text: 'Vai piegādājat uz Rīgu?' } };

  it('words each kind from its data in English', () => {
    expect(touchText(requested)).toBe('Asked to be called now on +37120000000');
    expect(touchText(outcome)).toBe('Reached (Ilze) · “Zvanīt rīt”');
    expect(touchText(feedback)).toBe('NPS 9/10 · “Great”');
    expect(touchText(chat)).toBe('“Vai piegādājat uz Rīgu?”');
    const at = '2026-12-06T09:30:00.000Z';
    expect(
      touchText({
        kind: 'callback.requested',
        summary: '',
        data: { mode: 'scheduled', phone: '+371', requestedAt: at },
      }),
    ).toBe(`Asked to be called on +371 at ${fullTime(at)}`);
  });

  it('words them in Sinhala and Russian, with the language’s own quotes and outcome names', async () => {
    await setLocale('si');
    expect(touchText(requested)).toBe('+37120000000 අංකයට දැන් ඇමතුමක් ඉල්ලා ඇත');
    expect(touchText(outcome)).toBe('සම්බන්ධ විය (Ilze) · “Zvanīt rīt”');
    await setLocale('ru');
    expect(touchText(outcome)).toBe('Дозвонились (Ilze) · «Zvanīt rīt»');
    expect(touchText({ ...feedback, data: { kind: 'csat', score: 4, text: null } })).toBe('Удовлетворённость 4/5');
  });

  it('shortens a long first message, and keeps the English line when the data lacks what the kind needs', async () => {
    const long = touchText({ kind: 'chat.offline_message', summary: '', data: { text: 'x'.repeat(300) } });
    expect(long.length).toBeLessThan(150);
    expect(long.endsWith('…”')).toBe(true);
    await setLocale('lv');
    // A row from before the phone was kept, and a kind this dashboard does not know.
    expect(touchText({ ...requested, data: { mode: 'now' } })).toBe('Asked to be called now at +37120000000');
    expect(touchText({ kind: 'crm.synced', summary: 'Synced to the CRM', data: {} })).toBe('Synced to the CRM');
    expect(touchText({ kind: 'chat.started', summary: 'Started a chat: Hi' })).toBe('Started a chat: Hi');
  });
});
