import { useEffect, useState } from 'preact/hooks';
import type { PersonConversation, PersonDetail, Site, VisitorErasure } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { ContactFacts } from '../../components/ContactFacts';
import { Dialog } from '../../components/Dialog';
import { ArrowLeftIcon } from '../../components/Icons';
import { Link } from '../../components/Link';
import { EmptyState, Spinner } from '../../components/PageHeader';
import { useLive } from '../../live';
import { href } from '../../router';
import { useSession } from '../../session';
import { fullTime, shortTime, shownAgent, shownName, shownPhone } from '../../lib/format';
import { statusLabel } from '../leads';
import { TemperatureBadge } from '../scoring';
import { personPath } from '../../lib/paths';
import { t } from './i18n';
import { auditText } from './audit';

type Key = Parameters<typeof t>[0];
const callbackOutcomeKeys: Record<string, Key> = {
  reached: 'outcomeReached',
  no_answer: 'outcomeNoAnswer',
  wrong_number: 'outcomeWrongNumber',
  converted: 'outcomeConverted',
  not_interested: 'outcomeNotInterested',
};
const known = (keys: Record<string, Key>, value: string) => (keys[value] ? t(keys[value]!) : value);

const when = (iso: string) => (
  <time class="lead-when" dateTime={iso} title={fullTime(iso)}>
    {shortTime(iso, Date.now())}
  </time>
);

/**
 * One person: every browser, chat, callback, feedback answer and consent choice of one human, with the
 * work on them (open chat, won / lost, export, erase). Reached from every place a person's name shows.
 */
export function PersonPage({ site, personId }: { site: Site; personId: string }) {
  const live = useLive();
  const { me } = useSession();
  const [detail, setDetail] = useState<PersonDetail | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [erased, setErased] = useState<VisitorErasure | null>(null);
  const isAdmin = me.agent.role === 'admin';
  const base = `/sites/${encodeURIComponent(site.key)}`;

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api.getPerson(personId).then(
        (next) => !cancelled && setDetail(next),
        (caught: unknown) =>
          !cancelled &&
          setError({ message: errorMessage(caught), missing: caught instanceof ApiError && caught.status === 404 }),
      );
    // A new touch or an agent's change on the person's lead: show it without a reload.
    const offLead = live.on('leadUpdated', (lead) => lead.person?.id === personId && void load());
    void load();
    return () => {
      cancelled = true;
      offLead();
    };
  }, [personId, live.on]);

  // A merged id lands on the person it joined: the address shows that person's own.
  const shownId = detail?.person.id;
  useEffect(() => {
    if (shownId && shownId !== personId) history.replaceState(history.state, '', href(personPath(site.key, shownId)));
  }, [shownId, personId, site.key]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    try {
      await work();
    } catch (caught) {
      setActionError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  if (erased) {
    const total = Object.values(erased.deleted).reduce((a, b) => a + b, 0);
    return (
      <div class="page">
        <Alert tone="success">{t('erased', { count: total })}</Alert>
        <Link to={`${base}/leads`} class="back-link">
          <ArrowLeftIcon size={16} /> {t('allLeads')}
        </Link>
      </div>
    );
  }
  if (error) {
    return (
      <div class="page">
        <Link to={`${base}/leads`} class="back-link">
          <ArrowLeftIcon size={16} /> {t('allLeads')}
        </Link>
        {error.missing ? (
          <EmptyState title={t('notFound')}>{t('notFoundText')}</EmptyState>
        ) : (
          <Alert>{t('loadFailed', { error: error.message })}</Alert>
        )}
      </div>
    );
  }
  if (!detail) {
    return (
      <div class="page">
        <Spinner label={t('loading')} />
      </div>
    );
  }

  const { person, lead } = detail;
  const openChat = detail.conversations.find((c) => c.status === 'open') ?? detail.conversations[0];
  const download = () =>
    act(async () => {
      const data = await api.exportPerson(person.id);
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      Object.assign(document.createElement('a'), { href: url, download: `beckon-person-${person.id}.json` }).click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
  const mark = (outcome: 'won' | 'lost' | null) =>
    act(async () => setDetail(await api.setPersonOutcome(person.id, outcome)));

  return (
    <div class="page page-wide person-page">
      <Link to={`${base}/leads`} class="back-link">
        <ArrowLeftIcon size={16} /> {t('allLeads')}
      </Link>
      <header class="lead-header">
        <div class="person-heading">
          <h1 class="page-title">{shownName(person.displayName)}</h1>
          <p class="page-description">
            {t('knownSince', { date: fullTime(person.createdAt) })}
            {t('browsers', { count: detail.visitorIds.length })}
            {person.displayName !== person.label && <> · {shownName(person.label)}</>}
          </p>
        </div>
        {person.outcome && (
          <span class={`badge ${person.outcome === 'won' ? 'badge-accent' : 'badge-danger'}`}>
            {person.outcome === 'won' ? t('won') : t('lost')}
          </span>
        )}
      </header>
      {actionError && <Alert>{actionError}</Alert>}

      <div class="lead-layout">
        <div class="lead-side">
          <section class="card" aria-labelledby="person-contact">
            <h2 class="card-title" id="person-contact">
              {t('contact')}
            </h2>
            <dl class="lead-facts">
              <ContactFacts contact={person} />
              <dt>{t('temperature')}</dt>
              <dd>
                {detail.score ? (
                  <TemperatureBadge
                    temperature={detail.score.temperature}
                    score={detail.score.score}
                    explanation={detail.score.explanation}
                  />
                ) : (
                  <span class="muted">{t('notScored')}</span>
                )}
              </dd>
              <dt>{t('lead')}</dt>
              <dd>
                {lead ? (
                  <Link to={`${base}/leads/${encodeURIComponent(lead.id)}`}>
                    {lead.assignee
                      ? t('leadAssigned', { status: statusLabel(lead.status), agent: shownAgent(lead.assignee.name) })
                      : t('leadUnassigned', { status: statusLabel(lead.status) })}
                  </Link>
                ) : (
                  <span class="muted">{t('noLead')}</span>
                )}
              </dd>
            </dl>
          </section>

          <section class="card stack" aria-labelledby="person-actions">
            <h2 class="card-title" id="person-actions">
              {t('actions')}
            </h2>
            <div class="person-actions">
              {openChat ? (
                <Link class="btn btn-primary" to={`${base}/inbox/${encodeURIComponent(openChat.id)}`}>
                  {openChat.status === 'open' ? t('openChat') : t('openLastChat')}
                </Link>
              ) : (
                <span class="muted">{t('noChat')}</span>
              )}
              <button
                type="button"
                class="btn btn-secondary"
                disabled={busy || person.outcome === 'won'}
                onClick={() => void mark('won')}
              >
                {t('markWon')}
              </button>
              <button
                type="button"
                class="btn btn-secondary"
                disabled={busy || person.outcome === 'lost'}
                onClick={() => void mark('lost')}
              >
                {t('markLost')}
              </button>
              {person.outcome && (
                <button type="button" class="btn btn-ghost" disabled={busy} onClick={() => void mark(null)}>
                  {t('clearOutcome')}
                </button>
              )}
            </div>
            {isAdmin ? (
              <div class="person-actions">
                <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void download()}>
                  {t('exportData')}
                </button>
                <button type="button" class="btn btn-danger" disabled={busy} onClick={() => setConfirming(true)}>
                  {t('erasePerson')}
                </button>
              </div>
            ) : (
              <p class="card-note">{t('adminsOnly')}</p>
            )}
          </section>

          <section class="card" aria-labelledby="person-consent">
            <h2 class="card-title" id="person-consent">
              {t('consent')}
            </h2>
            {detail.consent.length === 0 ? (
              <p class="muted">{t('noConsent')}</p>
            ) : (
              <ol class="lead-timeline">
                {detail.consent.map((choice) => (
                  <li class="lead-event lead-event-audit" key={`${choice.visitorId}-${choice.recordedAt}`}>
                    <span class="lead-dot" aria-hidden="true" />
                    <div class="lead-event-body">
                      <p class="lead-event-title">
                        {t('consentLine', {
                          analytics: choice.analytics ? t('yes') : t('no'),
                          marketing: choice.marketing ? t('yes') : t('no'),
                        })}
                      </p>
                      <p class="lead-event-text">
                        {choice.source}
                        {choice.gpc ? ' · Global Privacy Control' : ''}
                      </p>
                    </div>
                    {when(choice.recordedAt)}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>

        <div class="lead-side">
          <section class="card" aria-labelledby="person-chats">
            <h2 class="card-title" id="person-chats">
              {t('conversations')}
            </h2>
            {detail.conversations.length === 0 ? (
              <p class="muted">{t('noChats')}</p>
            ) : (
              detail.conversations.map((c, index) => <Conversation conversation={c} open={index === 0} key={c.id} />)
            )}
          </section>

          <section class="card" aria-labelledby="person-callbacks">
            <h2 class="card-title" id="person-callbacks">
              {t('callbacks')}
            </h2>
            {detail.callbacks.length === 0 ? (
              <p class="muted">{t('noCallbacks')}</p>
            ) : (
              <ol class="lead-timeline">
                {detail.callbacks.map((cb) => (
                  <li class={`lead-event lead-event-touch lead-event-callback`} key={cb.id}>
                    <span class="lead-dot" aria-hidden="true" />
                    <div class="lead-event-body">
                      <p class="lead-event-title">
                        {t('callPhone', { phone: shownPhone(cb.phone) })}{' '}
                        <span class="chip">
                          {cb.outcome
                            ? known(callbackOutcomeKeys, cb.outcome)
                            : cb.status === 'done'
                              ? t('done')
                              : t('waiting')}
                        </span>
                      </p>
                      <p class="lead-event-text">
                        {t('due', { date: fullTime(cb.dueAt) })}
                        {cb.assignee ? ` · ${shownAgent(cb.assignee.name)}` : ''}
                        {cb.note ? ` · ${cb.note}` : ''}
                      </p>
                    </div>
                    {when(cb.createdAt)}
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section class="card" aria-labelledby="person-feedback">
            <h2 class="card-title" id="person-feedback">
              {t('feedback')}
            </h2>
            {detail.feedback.length === 0 ? (
              <p class="muted">{t('noAnswers')}</p>
            ) : (
              <ol class="lead-timeline">
                {detail.feedback.map((answer) => (
                  <li class="lead-event lead-event-touch lead-event-feedback" key={answer.id}>
                    <span class="lead-dot" aria-hidden="true" />
                    <div class="lead-event-body">
                      <p class="lead-event-title">
                        {answer.kind.toUpperCase()}
                        {answer.score !== null && <span class="chip">{answer.score}</span>}
                      </p>
                      {answer.message && <p class="lead-event-text">{answer.message}</p>}
                    </div>
                    {when(answer.createdAt)}
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section class="card" aria-labelledby="person-visits">
            <h2 class="card-title" id="person-visits">
              {t('visitsAndPages')}
            </h2>
            {detail.visits.length === 0 ? (
              <p class="muted">{t('noVisits')}</p>
            ) : (
              <ol class="lead-timeline">
                {detail.visits.slice(0, 20).map((visit) => (
                  <li class="lead-event lead-event-page" key={`${visit.visitorId}-${visit.number}`}>
                    <span class="lead-dot" aria-hidden="true" />
                    <div class="lead-event-body">
                      <p class="lead-event-title">
                        {detail.visitorIds.length > 1 &&
                          t('browserNumber', { number: detail.visitorIds.indexOf(visit.visitorId) + 1 })}
                        {t('visitNumber', { number: visit.number })}
                        {t('pageCount', { count: visit.pageviews })}
                        {visit.referrerDomain ? t('fromDomain', { domain: visit.referrerDomain }) : ''}
                      </p>
                      {visit.landingUrl && <p class="lead-event-text lead-url">{visit.landingUrl}</p>}
                    </div>
                    {when(visit.startedAt)}
                  </li>
                ))}
              </ol>
            )}
            {detail.pages.length > 0 && (
              <details class="person-pages">
                <summary>{t('pagesViewed', { count: detail.pages.length })}</summary>
                <ol class="lead-timeline">
                  {detail.pages.map((page, index) => (
                    <li class="lead-event lead-event-page" key={`${page.at}-${index}`}>
                      <span class="lead-dot" aria-hidden="true" />
                      <div class="lead-event-body">
                        <p class="lead-event-title">{page.title || t('aPage')}</p>
                        <p class="lead-event-text lead-url">{page.url}</p>
                      </div>
                      {when(page.at)}
                    </li>
                  ))}
                </ol>
              </details>
            )}
          </section>

          <section class="card" aria-labelledby="person-audit">
            <h2 class="card-title" id="person-audit">
              {t('auditTrail')}
            </h2>
            <ol class="lead-timeline">
              {detail.audit.map((entry, index) => (
                <li class="lead-event lead-event-audit" key={`${entry.at}-${index}`}>
                  <span class="lead-dot" aria-hidden="true" />
                  <div class="lead-event-body">
                    <p class="lead-event-title">
                      {known(auditKeys, entry.action)} · {entry.by ? shownAgent(entry.by.name) : 'Beckon'}
                    </p>
                    <p class="lead-event-text">{auditText(entry)}</p>
                  </div>
                  {when(entry.at)}
                </li>
              ))}
            </ol>
          </section>
        </div>
      </div>

      <Dialog
        open={confirming}
        title={t('eraseTitle', { name: shownName(person.displayName) })}
        description={t('eraseDescription')}
        onClose={() => setConfirming(false)}
      >
        <div class="button-row">
          <button type="button" class="btn btn-secondary" onClick={() => setConfirming(false)}>
            {t('keep')}
          </button>
          <button
            type="button"
            class="btn btn-danger"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                setErased(await api.erasePerson(person.id));
                setConfirming(false);
              })
            }
          >
            {t('eraseEverything')}
          </button>
        </div>
      </Dialog>
    </div>
  );
}

const auditKeys: Record<string, Key> = {
  created: 'auditCreated',
  identified: 'auditIdentified',
  merged: 'auditMerged',
  browser_shared: 'auditBrowserShared',
  browser_linked: 'auditBrowserLinked',
  outcome: 'auditOutcome',
};

function Conversation({ conversation, open }: { conversation: PersonConversation; open: boolean }) {
  return (
    <details class="person-chat" open={open}>
      <summary>
        <span class="person-chat-title">
          {conversation.channel === 'offline' ? t('offlineMessage') : t('chat')} · {fullTime(conversation.createdAt)}
        </span>
        <span class="chip">{conversation.status === 'open' ? t('open') : t('closed')}</span>
        {conversation.assignee && <span class="muted person-chat-agent">{shownAgent(conversation.assignee.name)}</span>}
      </summary>
      <ol class="person-transcript">
        {conversation.messages.map((message, index) => (
          <li
            class={`person-message person-message-${message.author}${message.internal ? ' person-message-note' : ''}`}
            key={index}
          >
            <span class="person-message-who">
              {message.author === 'visitor'
                ? t('visitor')
                : message.author === 'agent'
                  ? message.internal
                    ? t('agentNote', { name: message.agentName ?? '' })
                    : message.agentName
                  : t('autoReply')}
            </span>
            <span class="person-message-text">{message.text}</span>
          </li>
        ))}
      </ol>
      {conversation.csat && (
        <p class="card-note">
          {conversation.csat.comment
            ? t('ratedComment', { rating: conversation.csat.rating, comment: conversation.csat.comment })
            : t('rated', { rating: conversation.csat.rating })}
        </p>
      )}
    </details>
  );
}
