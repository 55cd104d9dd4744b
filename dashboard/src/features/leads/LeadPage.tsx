import { useEffect, useRef, useState } from 'preact/hooks';
import { TemperatureBadge } from '../scoring';
import type {
  AgentPresence,
  LeadDetail,
  LeadStatus,
  LeadSummary,
  LeadTimelineEntry,
  LostReason,
  Site,
} from '@beckon/sdk/protocol';
import { lostReasons } from '@beckon/sdk/protocol/constants';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { ContactFacts } from '../../components/ContactFacts';
import { ArrowLeftIcon } from '../../components/Icons';
import { Link } from '../../components/Link';
import { EmptyState, Spinner } from '../../components/PageHeader';
import { fullTime, shortTime, shownAgent, timeForVisitor, withLocalTimes } from '../../lib/format';
import { useLive } from '../../live';
import { useSession } from '../../session';
import {
  auditLabel,
  channelLabel,
  isLeadStatus,
  leadStatuses,
  leadTitle,
  lostReasonLabel,
  statusLabel,
  temperatureLabel,
  touchLabel,
} from './filters';
import { t } from './i18n';
import { touchText } from './touch';
import { leadForm, reloadedForm, type LeadForm } from './lead-form';
import './lead-page.css';
import { personPath } from '../../lib/paths';
import { StatusBadge } from './LeadsPage';

export function LeadPage({ site, leadId }: { site: Site; leadId: string }) {
  const live = useLive();
  const { me } = useSession();
  const [detail, setDetail] = useState<LeadDetail | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const [agents, setAgents] = useState<AgentPresence[]>([]);
  const [form, setForm] = useState<LeadForm | null>(null);
  const edit = <K extends keyof LeadForm>(field: K, value: LeadForm[K]) =>
    setForm((current) => current && { ...current, [field]: value });
  // The lead as the form last showed it: a reload keeps the fields the agent changed since (lead-form.ts).
  const shown = useRef<LeadSummary | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const back = `/sites/${encodeURIComponent(site.key)}/leads`;

  const adopt = (next: LeadDetail, { keepEdits = true } = {}) => {
    const before = keepEdits ? shown.current : null;
    shown.current = next.lead;
    setDetail(next);
    setForm((current) => (current ? reloadedForm(current, before, next.lead) : leadForm(next.lead)));
  };

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api.getLead(leadId).then(
        (next) => !cancelled && adopt(next),
        (caught: unknown) =>
          !cancelled &&
          setError({ message: errorMessage(caught), missing: caught instanceof ApiError && caught.status === 404 }),
      );
    // Someone else (or a new touch) changed this lead: show it without a reload.
    const offLead = live.on('leadUpdated', (lead) => lead.id === leadId && void load());
    const offConnect = live.on('connect', () => void load());
    void load();
    api.sitePresence(site.id).then(setAgents, () => setAgents([]));
    return () => {
      cancelled = true;
      offLead();
      offConnect();
    };
  }, [leadId, site.id, live.on]);

  if (error) {
    return (
      <div class="page">
        <Link to={back} class="back-link">
          <ArrowLeftIcon size={16} /> {t('allLeads')}
        </Link>
        {error.missing ? (
          <EmptyState title={t('notFound')}>{t('notFoundText')}</EmptyState>
        ) : (
          <Alert>{t('loadOneFailed', { error: error.message })}</Alert>
        )}
      </div>
    );
  }
  if (!detail || !form) {
    return (
      <div class="page">
        <Spinner label={t('loadingOne')} />
      </div>
    );
  }

  const { lead } = detail;
  const { status, assigneeId, note, lostReason, lostText } = form;
  // A lost lead says why (the Reports' lost reasons count it): the reason travels with status "lost".
  const reasonChanged =
    status === 'lost' &&
    lostReason !== '' &&
    (lostReason !== (lead.lostReason ?? '') ||
      (lostReason === 'other' && lostText.trim() !== (lead.lostReasonText ?? '')));
  const dirty =
    status !== lead.status ||
    reasonChanged ||
    assigneeId !== (lead.assignee?.id ?? '') ||
    note.trim() !== (lead.outcomeNote ?? '');

  const save = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setSaveError(null);
    setSaved(null);
    try {
      await api.updateLead(lead.id, {
        ...(status !== lead.status || reasonChanged ? { status } : {}),
        ...((status !== lead.status || reasonChanged) && status === 'lost' && lostReason
          ? { lostReason, ...(lostReason === 'other' ? { lostReasonText: lostText.trim() } : {}) }
          : {}),
        ...(assigneeId !== (lead.assignee?.id ?? '') ? { assigneeId: assigneeId || null } : {}),
        ...(note.trim() !== (lead.outcomeNote ?? '') ? { outcomeNote: note.trim() || null } : {}),
      });
      // Saved: the form shows the lead as stored now.
      adopt(await api.getLead(lead.id), { keepEdits: false });
      setSaved(t('saved'));
    } catch (caught) {
      setSaveError(errorMessage(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div class="page page-wide">
      <Link to={back} class="back-link">
        <ArrowLeftIcon size={16} /> {t('allLeads')}
      </Link>
      <header class="lead-header">
        <div>
          <h1 class="page-title">
            {lead.person ? (
              <Link class="person-link" to={personPath(site.key, lead.person.id)}>
                {leadTitle(lead)}
              </Link>
            ) : (
              leadTitle(lead)
            )}
          </h1>
          <p class="page-description">
            {t('leadSince', { date: fullTime(lead.createdAt), channels: lead.channels.map(channelLabel).join(', ') })}
          </p>
        </div>
        <div class="person-actions">
          {lead.person && (
            <Link class="btn btn-secondary btn-sm" to={personPath(site.key, lead.person.id)}>
              {t('personPage')}
            </Link>
          )}
          <StatusBadge status={lead.status} />
        </div>
      </header>

      <div class="lead-layout">
        <div class="lead-side">
          <section class="card" aria-labelledby="lead-contact">
            <h2 class="card-title" id="lead-contact">
              {t('contact')}
            </h2>
            <dl class="lead-facts">
              <ContactFacts contact={lead} />
              <dt>{t('temperature')}</dt>
              <dd>
                {detail.score ? (
                  <TemperatureBadge
                    temperature={detail.score.temperature}
                    score={detail.score.score}
                    explanation={detail.score.explanation}
                  />
                ) : lead.temperature ? (
                  <span class={`lead-temp lead-temp-${lead.temperature}`}>{temperatureLabel(lead.temperature)}</span>
                ) : (
                  <span class="muted">{t('notScored')}</span>
                )}
              </dd>
            </dl>
          </section>

          <form class="card stack" onSubmit={save} aria-labelledby="lead-work">
            <h2 class="card-title" id="lead-work">
              {t('workThisLead')}
            </h2>
            <label class="field">
              <span class="field-label">{t('status')}</span>
              <select
                class="input select"
                aria-label={t('status')}
                value={status}
                onChange={(event) => edit('status', event.currentTarget.value as LeadStatus)}
              >
                {leadStatuses.map((value) => (
                  <option value={value}>{statusLabel(value)}</option>
                ))}
              </select>
            </label>
            {status === 'lost' && (
              <label class="field">
                <span class="field-label">{t('lostReason')}</span>
                <select
                  class="input select"
                  aria-label={t('lostReason')}
                  required
                  value={lostReason}
                  onChange={(event) => edit('lostReason', event.currentTarget.value as LostReason)}
                >
                  <option value="" disabled>
                    {t('chooseReason')}
                  </option>
                  {lostReasons.map((value) => (
                    <option value={value}>{lostReasonLabel(value)}</option>
                  ))}
                </select>
              </label>
            )}
            {status === 'lost' && lostReason === 'other' && (
              <label class="field">
                <span class="field-label">{t('lostReasonText')}</span>
                <input
                  class="input"
                  aria-label={t('lostReasonText')}
                  required
                  maxLength={300}
                  value={lostText}
                  onInput={(event) => edit('lostText', event.currentTarget.value)}
                />
              </label>
            )}
            <label class="field">
              <span class="field-label">{t('assignedTo')}</span>
              <select
                class="input select"
                aria-label={t('assignedTo')}
                value={assigneeId}
                onChange={(event) => edit('assigneeId', event.currentTarget.value)}
              >
                <option value="">{t('unassigned')}</option>
                {agents.map((agent) => (
                  <option value={agent.agentId}>
                    {agent.agentId === me.agent.id ? t('agentYou', { name: agent.name }) : agent.name}
                  </option>
                ))}
                {lead.assignee && !agents.some((agent) => agent.agentId === lead.assignee!.id) && (
                  <option value={lead.assignee.id}>{shownAgent(lead.assignee.name)}</option>
                )}
              </select>
            </label>
            <label class="field">
              <span class="field-label">{t('outcomeNote')}</span>
              <textarea
                class="input textarea"
                aria-label={t('outcomeNote')}
                rows={3}
                maxLength={2000}
                value={note}
                placeholder={t('outcomePlaceholder')}
                onInput={(event) => edit('note', event.currentTarget.value)}
              />
            </label>
            {saveError && <Alert>{saveError}</Alert>}
            <div class="lead-save">
              <button type="submit" class="btn btn-primary" disabled={!dirty || saving}>
                {saving ? t('saving') : t('saveChanges')}
              </button>
              {saved && !dirty && (
                <span class="save-state" role="status">
                  {saved}
                </span>
              )}
            </div>
            <p class="card-note">{t('neverDeleted')}</p>
          </form>
        </div>

        <section class="card lead-timeline-card" aria-labelledby="lead-timeline">
          <h2 class="card-title" id="lead-timeline">
            {t('timeline')}
          </h2>
          {detail.timeline.length === 0 ? (
            <p class="muted">{t('nothingYet')}</p>
          ) : (
            <ol class="lead-timeline">
              {detail.timeline.map((entry, index) => (
                <TimelineItem entry={entry} siteKey={site.key} key={`${entry.type}-${entry.at}-${index}`} />
              ))}
            </ol>
          )}
        </section>
      </div>
    </div>
  );
}

/** Where a touch's record lives in the dashboard. */
function refLink(siteKey: string, ref: { type: 'callback' | 'feedback' | 'conversation'; id: string }) {
  const base = `/sites/${encodeURIComponent(siteKey)}`;
  if (ref.type === 'conversation')
    return { to: `${base}/inbox/${encodeURIComponent(ref.id)}`, label: t('openConversation') };
  if (ref.type === 'callback')
    return { to: `${base}/callbacks#${encodeURIComponent(ref.id)}`, label: t('openCallbackQueue') };
  return { to: `${base}/feedback`, label: t('openFeedback') };
}

/** A booked callback in the visitor's own clock, when their time zone is not the agent's: "14:30 for the visitor (Europe/London)". */
function visitorClock(entry: Extract<LeadTimelineEntry, { type: 'touch' }>): string | null {
  const zone = entry.data.visitorTimeZone;
  const at = entry.data.requestedAt;
  if (
    entry.kind !== 'callback.requested' ||
    entry.data.mode !== 'scheduled' ||
    typeof zone !== 'string' ||
    typeof at !== 'string'
  )
    return null;
  return timeForVisitor(at, zone);
}

function TimelineItem({ entry, siteKey }: { entry: LeadTimelineEntry; siteKey: string }) {
  const when = (
    <time class="lead-when" dateTime={entry.at} title={fullTime(entry.at)}>
      {shortTime(entry.at, Date.now())}
    </time>
  );
  if (entry.type === 'touch') {
    return (
      <li class={`lead-event lead-event-touch lead-event-${entry.channel}`}>
        <span class="lead-dot" aria-hidden="true" />
        <div class="lead-event-body">
          <p class="lead-event-title">
            {touchLabel(entry.kind)} <span class="chip">{channelLabel(entry.channel)}</span>
          </p>
          <p class="lead-event-text">{touchText(entry)}</p>
          {visitorClock(entry) && <p class="lead-event-text lead-visitor-time">{visitorClock(entry)}</p>}
          {entry.ref && (
            <Link class="lead-ref" to={refLink(siteKey, entry.ref).to}>
              {refLink(siteKey, entry.ref).label}
            </Link>
          )}
        </div>
        {when}
      </li>
    );
  }
  if (entry.type === 'audit') {
    const show = (value: string | null) =>
      value === null
        ? entry.field === 'assignee'
          ? t('unassigned')
          : t('none')
        : entry.field === 'status' && isLeadStatus(value)
          ? statusLabel(value)
          : withLocalTimes(value);
    return (
      <li class="lead-event lead-event-audit">
        <span class="lead-dot" aria-hidden="true" />
        <div class="lead-event-body">
          <p class="lead-event-title">
            {t(entry.field === 'duplicate' ? 'fieldNoted' : 'fieldChanged', {
              field: auditLabel(entry.field),
              name: entry.by ? shownAgent(entry.by.name) : 'Beckon',
            })}
          </p>
          {entry.field === 'duplicate' ? (
            <p class="lead-event-text">{t('duplicateNote')}</p>
          ) : (
            <p class="lead-event-text">
              <span class="lead-from">{show(entry.from)}</span> → <span class="lead-to">{show(entry.to)}</span>
            </p>
          )}
        </div>
        {when}
      </li>
    );
  }
  return (
    <li class="lead-event lead-event-page">
      <span class="lead-dot" aria-hidden="true" />
      <div class="lead-event-body">
        <p class="lead-event-title">{entry.title ? t('viewedPage', { title: entry.title }) : t('viewedAPage')}</p>
        <p class="lead-event-text lead-url">{entry.url}</p>
      </div>
      {when}
    </li>
  );
}
