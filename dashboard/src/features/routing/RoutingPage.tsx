import { useState } from 'preact/hooks';
import type {
  RoutingConditions,
  RoutingRuleInput,
  RoutingSettings,
  RoutingStrategy,
  Site,
  Team,
  Temperature,
} from '@beckon/sdk/protocol';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Field, describedBy } from '../../components/Field';
import { ArrowDownIcon, PencilIcon, PlusIcon, TrashIcon } from '../../components/Icons';
import { PageHeader, Spinner } from '../../components/PageHeader';
import { useSession } from '../../session';
import { useSettingsDraft } from '../sites';
import { describeConditions, parseLanguages, strategyLabels, temperatureLabels, validateRouting } from './routing';

import { t } from './i18n';
import './routing.css';

type Agent = { id: string; name: string; email: string };
/** A rule being edited; `key` keeps Preact's list stable before the server gives new rules an id. */
type DraftRule = RoutingRuleInput & { key: string };
type Draft = { rules: DraftRule[]; unansweredChatSeconds: number };

let keys = 0;
const withKey = (rule: RoutingRuleInput): DraftRule => ({ ...rule, key: rule.id ?? `new-${++keys}` });
const toDraft = (settings: RoutingSettings): Draft => ({
  rules: settings.rules.map(withKey),
  unansweredChatSeconds: settings.unansweredChatSeconds,
});
const toInput = (draft: Draft) => ({
  unansweredChatSeconds: draft.unansweredChatSeconds,
  rules: draft.rules.map(({ key: _key, ...rule }) => rule),
});
const same = (a: Draft, b: Draft) => JSON.stringify(toInput(a)) === JSON.stringify(toInput(b));
const temperatureChoices: Temperature[] = ['hot', 'warm', 'cold'];

/** Per-site routing: teams, ordered rules (first match wins) and the unanswered-chat limit. */
export function RoutingPage({ site }: { site: Site }) {
  const { isAdmin } = useSession();
  const [teams, setTeams] = useState<Team[]>([]);
  const [agents, setAgents] = useState<Agent[]>([]);
  const settings = useSettingsDraft({
    key: site.id,
    load: () => api.getRouting(site.id),
    draftOf: (result) => toDraft(result.settings),
    onLoad: (result) => {
      setTeams(result.teams);
      setAgents(result.agents);
    },
    validate: (draft: Draft) => validateRouting(draft.rules, draft.unansweredChatSeconds),
    save: async (draft) => toDraft(await api.saveRouting(site.id, toInput(draft))),
    savedNotice: t('savedNotice'),
    same,
  });
  const { draft, saved, dirty, errors, error, notice, busy, edit } = settings;

  if (!draft || !saved) {
    return (
      <div class="page">
        <PageHeader title={t('title')} />
        {error ? <Alert>{error}</Alert> : <Spinner label={t('loading')} />}
      </div>
    );
  }

  const [descriptionBefore, descriptionAfter] = t('description', { site: '\u0000' }).split('\u0000');
  const editRule = (index: number, patch: Partial<DraftRule>) =>
    edit({ rules: draft.rules.map((rule, i) => (i === index ? { ...rule, ...patch } : rule)) });
  const move = (index: number, by: -1 | 1) => {
    const rules = [...draft.rules];
    const [rule] = rules.splice(index, 1);
    rules.splice(index + by, 0, rule!);
    edit({ rules });
  };

  return (
    <div class="page">
      <PageHeader
        title={t('title')}
        description={
          <>
            {descriptionBefore}
            <strong>{site.name}</strong>
            {descriptionAfter}
          </>
        }
      />
      {!isAdmin && <Alert tone="info">{t('readOnly')}</Alert>}
      {error && <Alert>{error}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}

      <div class="stack-lg">
        <TeamsCard
          site={site}
          teams={teams}
          agents={agents}
          canEdit={isAdmin}
          onChange={setTeams}
          onError={settings.setError}
        />

        <form class="stack-lg" onSubmit={settings.save} noValidate>
          <fieldset class="card card-flush" disabled={!isAdmin}>
            <div class="card-header card-header-row">
              <div>
                <legend class="card-title card-legend">{t('rules')}</legend>
                <p class="card-description">{t('rulesHint')}</p>
              </div>
              <button
                type="button"
                class="btn btn-secondary btn-sm"
                onClick={() =>
                  edit({
                    rules: [
                      ...draft.rules,
                      withKey({
                        name: t('newRuleName'),
                        conditions: {},
                        target: teams[0]
                          ? { kind: 'team', teamId: teams[0].id }
                          : { kind: 'agent', agentId: agents[0]?.id ?? '' },
                        strategy: 'round_robin',
                        enabled: true,
                      }),
                    ],
                  })
                }
              >
                <PlusIcon size={16} />
                <span>{t('addRule')}</span>
              </button>
            </div>
            {draft.rules.length === 0 ? (
              <p class="card-note">{t('noRules')}</p>
            ) : (
              <ol class="routing-rules">
                {draft.rules.map((rule, index) => (
                  <RuleEditor
                    key={rule.key}
                    rule={rule}
                    index={index}
                    count={draft.rules.length}
                    teams={teams}
                    agents={agents}
                    errors={errors}
                    onChange={(patch) => editRule(index, patch)}
                    onMove={(by) => move(index, by)}
                    onRemove={() => edit({ rules: draft.rules.filter((_, i) => i !== index) })}
                  />
                ))}
              </ol>
            )}
          </fieldset>

          <fieldset class="card" disabled={!isAdmin}>
            <legend class="card-title card-legend">{t('unanswered')}</legend>
            <p class="card-description">{t('unansweredHint')}</p>
            <Field
              id="routing-unanswered"
              label={t('reassignAfter')}
              hint={t('reassignOff')}
              error={errors.unansweredChatSeconds}
            >
              <div class="input-suffix input-narrow">
                <input
                  id="routing-unanswered"
                  class="input"
                  type="number"
                  min={0}
                  max={86400}
                  value={Number.isNaN(draft.unansweredChatSeconds) ? '' : draft.unansweredChatSeconds}
                  {...describedBy('routing-unanswered', errors.unansweredChatSeconds)}
                  onInput={(event) => {
                    const text = (event.target as HTMLInputElement).value;
                    edit({ unansweredChatSeconds: text.trim() === '' ? NaN : Number(text) });
                  }}
                />
                <span>{t('seconds')}</span>
              </div>
            </Field>
          </fieldset>

          {isAdmin && (
            <div class="form-actions sticky-actions">
              <button type="submit" class="btn btn-primary" disabled={!dirty || busy}>
                {busy ? t('saving') : t('saveRouting')}
              </button>
              <button type="button" class="btn btn-ghost" disabled={!dirty || busy} onClick={settings.discard}>
                {t('discard')}
              </button>
            </div>
          )}
        </form>
      </div>
    </div>
  );
}

function RuleEditor(props: {
  rule: DraftRule;
  index: number;
  count: number;
  teams: Team[];
  agents: Agent[];
  errors: Record<string, string>;
  onChange: (patch: Partial<DraftRule>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { rule, index, teams, agents, errors, onChange } = props;
  const conditions: RoutingConditions = rule.conditions ?? {};
  const err = (path: string) => errors[`rules.${index}.${path}`];
  const setConditions = (patch: Partial<RoutingConditions>) => {
    const next = { ...conditions, ...patch } as Record<string, unknown>;
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    onChange({ conditions: next as RoutingConditions });
  };
  const id = (name: string) => `rule-${index}-${name}`;
  const targetValue = rule.target.kind === 'team' ? `team:${rule.target.teamId}` : `agent:${rule.target.agentId}`;
  const source = conditions.source;
  const [languages, setLanguages] = useState((conditions.languages ?? []).join(', '));

  return (
    <li class={`routing-rule${rule.enabled === false ? ' routing-rule-off' : ''}`}>
      <div class="routing-rule-head">
        <span class="routing-rule-number" aria-hidden="true">
          {index + 1}
        </span>
        <div class="routing-rule-name">
          <input
            id={id('name')}
            class="input input-sm"
            value={rule.name}
            maxLength={80}
            aria-label={t('ruleName', { number: index + 1 })}
            aria-invalid={err('name') ? true : undefined}
            onInput={(event) => onChange({ name: (event.target as HTMLInputElement).value })}
          />
          {err('name') && <span class="cell-error">{err('name')}</span>}
          <span class="routing-rule-summary">{describeConditions(conditions)}</span>
        </div>
        <label class="routing-switch">
          <input
            type="checkbox"
            checked={rule.enabled !== false}
            onChange={(event) => onChange({ enabled: (event.target as HTMLInputElement).checked })}
          />
          <span>{t('on')}</span>
        </label>
        <div class="routing-rule-actions">
          <button
            type="button"
            class="icon-button icon-button-sm"
            aria-label={t('moveUp', { name: rule.name })}
            disabled={index === 0}
            onClick={() => props.onMove(-1)}
          >
            <ArrowDownIcon size={16} style={{ transform: 'rotate(180deg)' }} />
          </button>
          <button
            type="button"
            class="icon-button icon-button-sm"
            aria-label={t('moveDown', { name: rule.name })}
            disabled={index === props.count - 1}
            onClick={() => props.onMove(1)}
          >
            <ArrowDownIcon size={16} />
          </button>
          <button
            type="button"
            class="icon-button icon-button-sm"
            aria-label={t('remove', { name: rule.name })}
            onClick={props.onRemove}
          >
            <TrashIcon size={16} />
          </button>
        </div>
      </div>

      <div class="routing-when">
        <fieldset class="routing-field">
          <legend class="field-label">{t('temperature')}</legend>
          <div class="routing-checks">
            {temperatureChoices.map((temperature) => (
              <label key={temperature} class={`routing-check temp-word temp-word-${temperature}`}>
                <input
                  type="checkbox"
                  checked={conditions.temperatures?.includes(temperature) ?? false}
                  onChange={(event) => {
                    const on = (event.target as HTMLInputElement).checked;
                    const list = temperatureChoices.filter((choice) =>
                      choice === temperature ? on : conditions.temperatures?.includes(choice),
                    );
                    setConditions({ temperatures: list.length ? list : undefined });
                  }}
                />
                <span>{t(temperatureLabels[temperature])}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <Field id={id('page')} label={t('currentPage')} error={err('conditions.page')}>
          <input
            id={id('page')}
            class="input input-sm"
            placeholder={t('pagePlaceholder')}
            value={conditions.page ?? ''}
            maxLength={200}
            {...describedBy(id('page'), err('conditions.page'), false)}
            onInput={(event) => setConditions({ page: (event.target as HTMLInputElement).value || undefined })}
          />
        </Field>
        <Field id={id('source')} label={t('cameFrom')} error={err('conditions.source.value')}>
          <div class="routing-source">
            <select
              id={id('source')}
              class="input select input-sm"
              value={source?.kind ?? ''}
              onChange={(event) => {
                const kind = (event.target as HTMLSelectElement).value;
                setConditions({
                  source:
                    kind === ''
                      ? undefined
                      : kind === 'paid'
                        ? { kind: 'paid' }
                        : {
                            kind: kind as 'utm_source' | 'referrer',
                            value: source && source.kind !== 'paid' ? source.value : '',
                          },
                });
              }}
            >
              <option value="">{t('anywhere')}</option>
              <option value="utm_source">{t('utmSource')}</option>
              <option value="referrer">{t('referrerDomainOption')}</option>
              <option value="paid">{t('paidClick')}</option>
            </select>
            {source && source.kind !== 'paid' && (
              <input
                class="input input-sm"
                aria-label={source.kind === 'utm_source' ? t('utmSource') : t('referrerDomain')}
                placeholder={source.kind === 'utm_source' ? 'newsletter' : 'google.com'}
                value={source.value}
                aria-invalid={err('conditions.source.value') ? true : undefined}
                onInput={(event) =>
                  setConditions({ source: { ...source, value: (event.target as HTMLInputElement).value } })
                }
              />
            )}
          </div>
        </Field>
        <Field id={id('languages')} label={t('browserLanguage')} error={err('conditions.languages')}>
          <input
            id={id('languages')}
            class="input input-sm"
            placeholder={t('languagesPlaceholder')}
            value={languages}
            {...describedBy(id('languages'), err('conditions.languages'), false)}
            onInput={(event) => {
              const text = (event.target as HTMLInputElement).value;
              setLanguages(text);
              const list = parseLanguages(text);
              setConditions({ languages: list.length ? list : undefined });
            }}
          />
        </Field>
        <Field id={id('channel')} label={t('channel')}>
          <select
            id={id('channel')}
            class="input select input-sm"
            value={conditions.channel ?? ''}
            onChange={(event) =>
              setConditions({
                channel: ((event.target as HTMLSelectElement).value || undefined) as RoutingConditions['channel'],
              })
            }
          >
            <option value="">{t('chatsAndCallbacks')}</option>
            <option value="chat">{t('chats')}</option>
            <option value="callback">{t('callbacks')}</option>
          </select>
        </Field>
      </div>

      <div class="routing-then">
        <Field
          id={id('target')}
          label={t('sendTo')}
          error={err('target') ?? err('target.teamId') ?? err('target.agentId')}
        >
          <select
            id={id('target')}
            class="input select input-sm"
            value={targetValue}
            {...describedBy(id('target'), err('target'), false)}
            onChange={(event) => {
              const [kind, value] = (event.target as HTMLSelectElement).value.split(':') as ['team' | 'agent', string];
              onChange({ target: kind === 'team' ? { kind, teamId: value } : { kind, agentId: value } });
            }}
          >
            {!teams.length && !agents.length && <option value="team:">{t('noTargets')}</option>}
            {teams.length > 0 && (
              <optgroup label={t('teams')}>
                {teams.map((team) => (
                  <option key={team.id} value={`team:${team.id}`}>
                    {team.name}
                  </option>
                ))}
              </optgroup>
            )}
            <optgroup label={t('agents')}>
              {agents.map((agent) => (
                <option key={agent.id} value={`agent:${agent.id}`}>
                  {agent.name}
                </option>
              ))}
            </optgroup>
          </select>
        </Field>
        <Field
          id={id('strategy')}
          label={t('amongOnline')}
          hint={rule.strategy === 'least_busy' ? t('leastBusyHint') : t('roundRobinHint')}
        >
          <select
            id={id('strategy')}
            class="input select input-sm"
            {...describedBy(id('strategy'), undefined)}
            value={rule.strategy ?? 'round_robin'}
            onChange={(event) => onChange({ strategy: (event.target as HTMLSelectElement).value as RoutingStrategy })}
          >
            <option value="round_robin">{t(strategyLabels.round_robin)}</option>
            <option value="least_busy">{t(strategyLabels.least_busy)}</option>
          </select>
        </Field>
      </div>
    </li>
  );
}

function TeamsCard(props: {
  site: Site;
  teams: Team[];
  agents: Agent[];
  canEdit: boolean;
  onChange: (teams: Team[]) => void;
  onError: (message: string | null) => void;
}) {
  const { site, teams, agents, canEdit } = props;
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const remove = async (team: Team) => {
    if (!confirm(t('deleteTeamConfirm', { name: team.name }))) return;
    try {
      await api.deleteTeam(site.id, team.id);
      props.onChange(teams.filter((item) => item.id !== team.id));
      props.onError(null);
    } catch (caught) {
      props.onError(errorMessage(caught));
    }
  };
  return (
    <section class="card card-flush" aria-labelledby="teams-title">
      <div class="card-header card-header-row">
        <div>
          <h2 class="card-title" id="teams-title">
            {t('teams')}
          </h2>
          <p class="card-description">{t('teamsHint')}</p>
        </div>
        {canEdit && editing === null && (
          <button type="button" class="btn btn-secondary btn-sm" onClick={() => setEditing('new')}>
            <PlusIcon size={16} />
            <span>{t('newTeam')}</span>
          </button>
        )}
      </div>
      {editing !== null && (
        <TeamEditor
          site={site}
          team={editing === 'new' ? null : editing}
          agents={agents}
          onCancel={() => setEditing(null)}
          onSaved={(team) => {
            props.onChange(
              [...teams.filter((item) => item.id !== team.id), team].sort((a, b) => a.name.localeCompare(b.name)),
            );
            setEditing(null);
          }}
        />
      )}
      {teams.length === 0 && editing === null ? (
        <p class="card-note">{canEdit ? t('noTeamsAdmin') : t('noTeams')}</p>
      ) : (
        <ul class="routing-teams">
          {teams.map((team) => (
            <li key={team.id} class="routing-team">
              <div class="routing-team-text">
                <span class="routing-team-name">{team.name}</span>
                <span class="muted small">
                  {team.members.length ? team.members.map((member) => member.name).join(', ') : t('noMembers')}
                </span>
              </div>
              {canEdit && (
                <div class="routing-rule-actions">
                  <button
                    type="button"
                    class="icon-button icon-button-sm"
                    aria-label={t('editTeam', { name: team.name })}
                    onClick={() => setEditing(team)}
                  >
                    <PencilIcon size={16} />
                  </button>
                  <button
                    type="button"
                    class="icon-button icon-button-sm"
                    aria-label={t('deleteTeam', { name: team.name })}
                    onClick={() => void remove(team)}
                  >
                    <TrashIcon size={16} />
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TeamEditor({
  site,
  team,
  agents,
  onCancel,
  onSaved,
}: {
  site: Site;
  team: Team | null;
  agents: Agent[];
  onCancel: () => void;
  onSaved: (team: Team) => void;
}) {
  const [name, setName] = useState(team?.name ?? '');
  const [members, setMembers] = useState<string[]>(team?.members.map((member) => member.id) ?? []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!name.trim()) return setError(t('teamNameRequired'));
    setBusy(true);
    try {
      const input = { name: name.trim(), agentIds: members };
      onSaved(team ? await api.updateTeam(site.id, team.id, input) : await api.createTeam(site.id, input));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="routing-team-editor" onSubmit={submit} noValidate>
      <Field id="team-name" label={t('teamName')} error={error ?? undefined}>
        <input
          id="team-name"
          class="input"
          value={name}
          maxLength={60}
          {...describedBy('team-name', error ?? undefined, false)}
          onInput={(event) => setName((event.target as HTMLInputElement).value)}
        />
      </Field>
      <fieldset class="routing-field">
        <legend class="field-label">{t('members')}</legend>
        <div class="routing-members">
          {agents.map((agent) => (
            <label key={agent.id} class="routing-member">
              <input
                type="checkbox"
                checked={members.includes(agent.id)}
                onChange={(event) =>
                  setMembers(
                    (event.target as HTMLInputElement).checked
                      ? [...members, agent.id]
                      : members.filter((id) => id !== agent.id),
                  )
                }
              />
              <span>
                {agent.name} <span class="muted small">{agent.email}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="button-row">
        <button type="submit" class="btn btn-primary btn-sm" disabled={busy}>
          {busy ? t('saving') : team ? t('saveTeam') : t('createTeam')}
        </button>
        <button type="button" class="btn btn-ghost btn-sm" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
