import type { PersonAuditEntry } from '@beckon/sdk/protocol';
import { t } from './i18n';

type Key = Parameters<typeof t>[0];

const sourceKeys: Record<string, Key> = {
  identify: 'sourceIdentify',
  'verified identify': 'sourceVerifiedIdentify',
  chat: 'sourceChat',
  callback: 'sourceCallback',
  feedback: 'sourceFeedback',
  signal: 'sourceSignal',
};
const fieldKeys: Record<string, Key> = {
  name: 'auditFieldName',
  email: 'auditFieldEmail',
  phone: 'auditFieldPhone',
  userId: 'auditFieldUserId',
};
const sameKeys: Record<string, Key> = { email: 'sameEmail', phone: 'samePhone', browser: 'sameBrowser' };

const given = (value: unknown) => (typeof value === 'string' && value.trim() ? value : null);
const label = (keys: Record<string, Key>, value: unknown) => {
  const key = typeof value === 'string' ? keys[value] : undefined;
  return key ? t(key) : null;
};
/** A person as the line names them: what we know to call them by, else a short form of their id. */
const personName = (contact: unknown, id: unknown) =>
  given(contact) ?? (typeof id === 'string' ? t('auditSomeone', { id: id.slice(0, 8) }) : null);

/**
 * A person audit line in the agent's language, from its `action` and `data` (see `PersonAuditData`).
 * A line whose data lacks what its action needs (written before data was kept and not readable from
 * its sentence, or an action this dashboard does not know) shows the stored English `detail`.
 */
export function auditText(entry: Pick<PersonAuditEntry, 'action' | 'detail' | 'data'>): string {
  const data = entry.data ?? {};
  const source = label(sourceKeys, data.source);
  switch (entry.action) {
    case 'created':
      if (source) return t('auditTextCreated', { source });
      break;
    case 'identified': {
      const field = label(fieldKeys, data.field);
      const value = given(data.value);
      if (field && value && source) return t('auditTextIdentified', { field, value, source });
      break;
    }
    case 'merged': {
      const same = label(sameKeys, data.same);
      const other = personName(data.other, data.otherId);
      if (other && same && source) return t('auditTextMergedIn', { other, same, source });
      const into = personName(data.into, data.intoId);
      if (into && source) return t('auditTextMergedInto', { other: into, source });
      break;
    }
    case 'browser_linked': {
      if (!source || !Array.isArray(data.contacts)) break;
      const userId = given(data.userId);
      const told = [
        ...data.contacts.filter((contact): contact is string => typeof contact === 'string'),
        ...(userId ? [t('auditVerifiedUser', { id: userId })] : []),
      ];
      return t('auditTextBrowserLinked', { contacts: told.join(', '), source });
    }
    case 'browser_shared': {
      const other = personName(data.other, data.otherId);
      if (other && data.shared === 'used_yours') return t('auditTextUsedYours', { other });
      if (other && data.shared === 'uses_theirs') return t('auditTextUsesTheirs', { other });
      break;
    }
    case 'outcome':
      if (data.outcome === 'won') return t('auditTextWon');
      if (data.outcome === 'lost') return t('auditTextLost');
      if ('outcome' in data && data.outcome === null) return t('auditTextCleared');
      break;
  }
  return entry.detail;
}
