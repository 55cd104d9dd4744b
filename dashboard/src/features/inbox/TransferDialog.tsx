import { useEffect, useState } from 'preact/hooks';
import type { AgentPresence, ConversationSummary } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { initials } from '../../components/Shell';
import { t } from './i18n';

const statusLabel = { online: 'statusOnline', away: 'statusAway', offline: 'statusOffline' } as const;
const order = { online: 0, away: 1, offline: 2 } as const;

/** Hand a conversation to a colleague who works on the site; their presence shows who can answer now. */
export function TransferDialog({
  open,
  conversation,
  agents,
  meId,
  onClose,
}: {
  open: boolean;
  conversation: ConversationSummary;
  agents: AgentPresence[];
  meId: string;
  onClose(): void;
}) {
  const [agentId, setAgentId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setAgentId(null);
    setReason('');
    setError(null);
  }, [open]);

  const candidates = agents
    .filter((agent) => agent.agentId !== conversation.assignee?.id)
    .sort((a, b) => order[a.status] - order[b.status] || a.name.localeCompare(b.name));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!agentId || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.transferConversation(conversation.id, { agentId, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      onClose();
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.code === 'validation_failed' ? t('agentGone') : errorMessage(caught),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t('transferConversation')}
      description={
        conversation.assignee
          ? conversation.assignee.id === meId
            ? t('currentlyAssignedYou')
            : t('currentlyAssigned', { name: conversation.assignee.name })
          : t('nobodyHasIt')
      }
    >
      <form class="stack" onSubmit={submit}>
        {error && <Alert>{error}</Alert>}
        {candidates.length === 0 ? (
          <p class="muted">{t('nobodyElse')}</p>
        ) : (
          <fieldset class="field">
            <legend class="field-label">{t('transferTo')}</legend>
            <ul class="agent-picker" role="radiogroup">
              {candidates.map((agent) => (
                <li key={agent.agentId}>
                  <label class={`agent-option${agentId === agent.agentId ? ' selected' : ''}`}>
                    <input
                      type="radio"
                      name="transfer-agent"
                      value={agent.agentId}
                      checked={agentId === agent.agentId}
                      onChange={() => setAgentId(agent.agentId)}
                    />
                    <span class="agent-avatar-wrap">
                      <span class="avatar avatar-sm" aria-hidden="true">
                        {initials(agent.name)}
                      </span>
                      <span class={`presence-badge presence-badge-${agent.status}`} aria-hidden="true" />
                    </span>
                    <span class="agent-option-text">
                      <span class="agent-option-name">
                        {agent.name}
                        {agent.agentId === meId && <span class="you">{t('youTag')}</span>}
                      </span>
                      <span class={`agent-option-status status-${agent.status}`}>{t(statusLabel[agent.status])}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        )}
        {agentId && agents.find((a) => a.agentId === agentId)?.status === 'offline' && (
          <Alert tone="info">{t('agentOffline')}</Alert>
        )}
        <Field id="transfer-reason" label={t('transferNote')} optional hint={t('transferNoteHint')}>
          <input
            id="transfer-reason"
            class="input"
            type="text"
            maxLength={200}
            value={reason}
            placeholder={t('transferNotePlaceholder')}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
        </Field>
        <div class="dialog-actions">
          <button type="button" class="btn btn-ghost" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={!agentId || busy}>
            {busy ? t('transferring') : t('transfer')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
