import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../lib/i18n';
import { auditText } from './audit';

/** Person audit lines are stored as action + data and worded here, in the agent's language (issue 20). */
describe('person audit lines in the agent’s language', () => {
  afterEach(() => setLocale('en'));

  const lines = {
    created: { action: 'created', detail: 'First seen through chat', data: { source: 'chat' } },
    identified: {
      action: 'identified',
      detail: 'email ana@example.com (from verified identify)',
      data: { field: 'email', value: 'ana@example.com', source: 'verified identify' },
    },
    mergedIn: {
      action: 'merged',
      detail: 'Merged … into this person',
      data: { other: null, otherId: '1234567890ab', same: 'phone' as const, source: 'callback' },
    },
    mergedInto: {
      action: 'merged',
      detail: 'Merged into Ana',
      data: { into: 'Ana', intoId: 'p1', source: 'identify' },
    },
    linked: {
      action: 'browser_linked',
      detail: 'Another browser…',
      data: { contacts: ['ana@example.com'], userId: 'shop-7', source: 'identify' },
    },
    shared: {
      action: 'browser_shared',
      detail: 'Uses a browser of Bo',
      data: { other: 'Bo', shared: 'uses_theirs' as const },
    },
    won: { action: 'outcome', detail: 'Marked won', data: { outcome: 'won' as const } },
    cleared: { action: 'outcome', detail: 'Outcome cleared', data: { outcome: null } },
  };

  it('words every action from its data in English', () => {
    expect(auditText(lines.created)).toBe('First seen through a chat');
    expect(auditText(lines.identified)).toBe('Email: ana@example.com (from a verified identify call)');
    expect(auditText(lines.mergedIn)).toBe(
      'person 12345678 joined into this person: same phone, through a callback request',
    );
    expect(auditText(lines.mergedInto)).toBe("Joined into Ana through the site's identify call");
    expect(auditText(lines.linked)).toBe(
      "Another browser or device identified as this person (ana@example.com, verified user shop-7, through the site's identify call)",
    );
    expect(auditText(lines.shared)).toBe('Uses a browser of Bo; not joined: a different email or phone');
    expect(auditText(lines.won)).toBe('Marked as won');
    expect(auditText(lines.cleared)).toBe('Outcome cleared');
  });

  it('words them in Sinhala and Latvian', async () => {
    await setLocale('si');
    expect(auditText(lines.created)).toBe('මුලින්ම දුටුවේ කතාබහක් හරහාය');
    expect(auditText(lines.won)).toBe('ජයගත් ලෙස සලකුණු කළා');
    await setLocale('lv');
    expect(auditText(lines.identified)).toBe('E-pasts: ana@example.com (avots: apstiprinātu identify izsaukumu)');
  });

  it('shows the stored English line for old rows without data and for actions it does not know', async () => {
    await setLocale('ru');
    expect(auditText({ action: 'merged', detail: 'Merged Bo (x) into this person', data: {} })).toBe(
      'Merged Bo (x) into this person',
    );
    expect(auditText({ action: 'created', detail: 'First seen through chat' })).toBe('First seen through chat');
    expect(auditText({ action: 'exported', detail: 'Exported by Ana', data: { source: 'chat' } })).toBe(
      'Exported by Ana',
    );
  });
});
