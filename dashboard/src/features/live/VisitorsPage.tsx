import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { Invitation, LiveVisitor, Outcome, Site, VisitorDetail } from '@beckon/sdk/protocol';
import { isAnonymousVisitorId, liveVisitorWindowMs } from '@beckon/sdk/protocol/constants';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Dialog } from '../../components/Dialog';
import { Link } from '../../components/Link';
import { ClockIcon } from '../../components/Icons';
import { EmptyState, PageHeader, Spinner } from '../../components/PageHeader';
import { useLive } from '../../live';
import { useSession } from '../../session';
import { effectiveState, invitationLabel, latestInvitations, defaultInviteMessage } from './invitations';
import { formatDate } from '../../lib/i18n';
import { rich } from '../../lib/i18n/rich';
import { t } from './i18n';
import './live-i18n.css';
import { useNow } from '../../lib/hooks';
import { TemperatureBadge } from '../scoring';
import { pagePath, relativeTime, visitorHue } from './pageviews';
import { RecentPageviews, usePageviewFeed, WaitingForVisitors } from './RecentPageviews';
import { personPath } from '../../lib/paths';
import { shownPhone } from '../../lib/format';
import {
  durationText,
  expireOnTime,
  inFrozenOrder,
  latestSeen,
  rememberVisitors,
  sourceLabel,
  timeOnSite,
  visitorName,
  visitorsPanel,
  visitorsReducer,
} from './visitors';

/**
 * Who is on the site now: pushed over `/agent` as their events arrive and as their keepalive refreshes
 * presence (`visitors:updated`), and as their temperature changes (`visitor:score`); a timer drops each
 * visitor when their last seen falls out of the window, so nothing polls the server.
 */
export function VisitorsPage({ site }: { site: Site }) {
  const live = useLive();
  const [visitors, dispatch] = useReducer(visitorsReducer, []);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [windowMs, setWindowMs] = useState(liveVisitorWindowMs);
  const [openVisitor, setOpenVisitor] = useState<string | null>(null);
  const siteId = useRef(site.id);
  siteId.current = site.id;
  // Durations and "seen … ago" move on by themselves; leaving the list is the expiry timer's job.
  const now = useNow(5_000);
  const [invitations, setInvitations] = useState<Map<string, Invitation>>(new Map());
  const [inviting, setInviting] = useState<LiveVisitor | null>(null);
  const feed = usePageviewFeed(site);
  // Once the list is empty, who left last: the latest "last seen" of anyone it held since the page opened.
  const seenBefore = useRef({ siteId: site.id, at: 0 });
  if (seenBefore.current.siteId !== site.id) seenBefore.current = { siteId: site.id, at: 0 };
  seenBefore.current.at = Math.max(
    seenBefore.current.at,
    latestSeen(visitors.filter((visitor) => visitor.siteId === site.id)),
  );

  // Who the page has listed, kept after they leave it: their pageviews below keep their names.
  const seen = useRef({ siteId: site.id, visitors: new Map<string, LiveVisitor>() });
  if (seen.current.siteId !== site.id) seen.current = { siteId: site.id, visitors: new Map() };
  useEffect(() => rememberVisitors(seen.current.visitors, visitors), [visitors]);

  // The site's live rows and pageview stream come to this tab while the page is open, and to no other page.
  useEffect(() => live.watchVisitors(site.id), [site.id, live.watchVisitors]);

  // Each visitor's latest invitation, live: sent → seen → accepted / declined, or expired.
  useEffect(() => {
    let cancelled = false;
    setInvitations(new Map());
    const load = () =>
      api.listInvitations(site.id).then(
        (list) => !cancelled && setInvitations((current) => latestInvitations(current, list)),
        () => {},
      );
    const offUpdated = live.on('invitationUpdated', (invitation) => {
      if (invitation.siteId === siteId.current) setInvitations((current) => latestInvitations(current, [invitation]));
    });
    const offConnect = live.on('connect', () => void load());
    void load();
    return () => {
      cancelled = true;
      offUpdated();
      offConnect();
    };
  }, [site.id, live.on]);

  useEffect(() => {
    let cancelled = false;
    dispatch({ type: 'reset' });
    setLoading(true);
    setError(null);
    // Listen first, then load: the merge keeps whichever copy is newer.
    const load = () =>
      api.listVisitors(site.id).then(
        (result) => {
          if (cancelled) return;
          dispatch({ type: 'merge', visitors: result.visitors });
          setWindowMs(result.windowMs);
          setLoading(false);
          setError(null);
        },
        (caught: unknown) => {
          if (cancelled) return;
          setError(errorMessage(caught));
          setLoading(false);
        },
      );
    const offUpdated = live.on('visitorUpdated', (visitor) => {
      if (visitor.siteId === siteId.current) dispatch({ type: 'merge', visitors: [visitor] });
    });
    const offGone = live.on('visitorsGone', ({ visitorIds }) => dispatch({ type: 'gone', visitorIds }));
    const offScore = live.on('visitorScore', (change) => {
      if (change.siteId === siteId.current) dispatch({ type: 'score', change });
    });
    // Read again once the stream has begun (and after every reconnect): whatever changed before it is in the list.
    const offWatched = live.on('visitorsWatched', (watched) => {
      if (watched.siteId === siteId.current) void load();
    });
    void load();
    return () => {
      cancelled = true;
      offUpdated();
      offGone();
      offScore();
      offWatched();
    };
  }, [site.id, live.on]);

  // Re-armed on every change of the list: a push may have brought a visitor back or moved them on.
  useEffect(
    () => expireOnTime(visitors, windowMs, (at) => dispatch({ type: 'expire', now: at, windowMs })),
    [visitors, windowMs],
  );

  // While the pointer or focus is in the table, rows keep their places (updates still show in them).
  const [frozenOrder, setFrozenOrder] = useState<string[] | null>(null);
  const pointerInTable = useRef(false);
  const freeze = () => setFrozenOrder((order) => order ?? visitors.map((visitor) => visitor.visitorId));
  const thaw = (table: HTMLTableElement) => {
    if (!pointerInTable.current && !table.contains(document.activeElement)) setFrozenOrder(null);
  };
  const rows = inFrozenOrder(visitors, frozenOrder);

  const panel = visitorsPanel({
    visitors: loading ? null : visitors,
    pageviews: feed.loading ? null : feed.error && feed.pageviews.length === 0 ? 'failed' : feed.pageviews,
    seenBefore: seenBefore.current.at,
  });
  const hot = visitors.filter((v) => v.temperature === 'hot').length;
  const warm = visitors.filter((v) => v.temperature === 'warm').length;
  const base = `/sites/${encodeURIComponent(site.key)}`;

  return (
    <div class="page page-wide">
      <PageHeader
        title={t('title')}
        description={rich(t('description'), { site: <strong>{site.name}</strong> })}
        actions={
          <>
            {live.status !== 'live' && (
              <span class="live-badge" role="status">
                <span class="live-badge-dot" aria-hidden="true" />
                {t('pausedReconnecting')}
              </span>
            )}
            <Link class="btn btn-secondary btn-sm" to={`${base}/scoring`}>
              {t('scoringRules')}
            </Link>
          </>
        }
      />

      <div class="stats" role="group" aria-label={t('onSiteNow')}>
        <div class="stat">
          <span class="stat-label">{t('onSiteNow')}</span>
          <span class="stat-value">{visitors.length}</span>
          <span class="stat-note">{t('activeInLast', { minutes: Math.round(windowMs / 60_000) })}</span>
        </div>
        <div class="stat stat-hot">
          <span class="stat-label">{t('hotLeads')}</span>
          <span class="stat-value">{hot}</span>
          <span class="stat-note">{t('readyToTalk')}</span>
        </div>
        <div class="stat stat-warm">
          <span class="stat-label">{t('warmLeads')}</span>
          <span class="stat-value">{warm}</span>
          <span class="stat-note">{t('showingInterest')}</span>
        </div>
      </div>

      {error && <Alert>{t('loadFailed', { error })}</Alert>}

      {panel.kind === 'loading' ? (
        <div class="card">
          <Spinner label={t('loading')} />
        </div>
      ) : panel.kind === 'first-run' ? (
        <div class="card">
          <WaitingForVisitors site={site} />
        </div>
      ) : panel.kind === 'quiet' ? (
        <div class="card">
          <NobodyOnSite lastSeenAt={panel.lastSeenAt} now={now} />
        </div>
      ) : (
        <div class="card card-flush table-scroll">
          <table
            class="table visitors-table"
            onPointerEnter={() => {
              pointerInTable.current = true;
              freeze();
            }}
            onPointerLeave={(event) => {
              pointerInTable.current = false;
              thaw(event.currentTarget);
            }}
            onFocusIn={freeze}
            // focusout fires before the next element takes focus: look once it has.
            onFocusOut={(event) => {
              const table = event.currentTarget;
              setTimeout(() => thaw(table), 0);
            }}
          >
            <caption class="sr-only">{t('caption')}</caption>
            <thead>
              <tr>
                <th scope="col" class="col-who">
                  {t('colVisitor')}
                </th>
                <th scope="col">{t('colCurrentPage')}</th>
                <th scope="col" class="col-time-on-site">
                  {t('colOnSite')}
                </th>
                <th scope="col" class="col-pages">
                  {t('colPages')}
                </th>
                <th scope="col" class="col-source">
                  {t('colSource')}
                </th>
                <th scope="col" class="col-lead">
                  {t('colLead')}
                </th>
                <th scope="col" class="col-invite">
                  <span class="sr-only">{t('colInvite')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((visitor) => (
                <VisitorRow
                  key={visitor.visitorId}
                  siteKey={site.key}
                  visitor={visitor}
                  now={now}
                  invitation={invitations.get(visitor.visitorId)}
                  onOpen={() => setOpenVisitor(visitor.visitorId)}
                  onInvite={() => setInviting(visitor)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}

      <RecentPageviews
        feed={feed}
        nameOf={(visitorId) =>
          visitorName(
            visitors.find((visitor) => visitor.visitorId === visitorId) ??
              seen.current.visitors.get(visitorId) ?? { name: null, email: null, visitorId },
          ).primary
        }
      />
      <VisitorDialog site={site} visitorId={openVisitor} onClose={() => setOpenVisitor(null)} />
      <InviteDialog
        site={site}
        visitor={inviting}
        onClose={() => setInviting(null)}
        onSent={(invitation) => setInvitations((current) => latestInvitations(current, [invitation]))}
      />
    </div>
  );
}

/** A site that has had traffic, with nobody on it right now: nothing to set up, so no first-run help. */
function NobodyOnSite({ lastSeenAt, now }: { lastSeenAt: number | null; now: number }) {
  const at = lastSeenAt === null ? null : new Date(lastSeenAt).toISOString();
  return (
    <EmptyState icon={<ClockIcon size={22} />} title={t('quietTitle')}>
      {at && (
        <>
          <time dateTime={at} title={formatDate(at, { dateStyle: 'medium', timeStyle: 'short' })}>
            {t('quietLastSeen', { ago: relativeTime(at, now) })}
          </time>{' '}
        </>
      )}
      {t('quietText')}
    </EmptyState>
  );
}

function VisitorRow({
  siteKey,
  visitor,
  now,
  invitation,
  onOpen,
  onInvite,
}: {
  siteKey: string;
  visitor: LiveVisitor;
  now: number;
  invitation?: Invitation;
  onOpen: () => void;
  onInvite: () => void;
}) {
  const state = invitation ? effectiveState(invitation, now) : null;
  const who = visitorName(visitor);
  const source = sourceLabel(visitor.source);
  const path = visitor.currentUrl ? pagePath(visitor.currentUrl) : '—';
  const time = timeOnSite(visitor, now);
  // Before consent the row is a daily hash of an address and a browser: nothing can reach it yet.
  const preConsent = isAnonymousVisitorId(visitor.visitorId);
  return (
    <tr class={`visitor-row temp-row-${visitor.temperature}`}>
      <td class="col-who">
        <button type="button" class="visitor-link" onClick={onOpen} title={visitor.visitorId}>
          <span
            class="visitor-dot"
            style={{ background: `hsl(${visitorHue(visitor.visitorId)} 65% 55%)` }}
            aria-hidden="true"
          />
          <span class="visitor-names">
            <span class={`visitor-primary${who.known ? '' : ' anonymous'}`} title={who.primary}>
              {who.primary}
            </span>
            {preConsent ? (
              <span class="visitor-secondary">
                <span class="badge badge-neutral visitor-consent" title={t('noConsentTitle')}>
                  {t('noConsent')}
                </span>
              </span>
            ) : (
              <span class="visitor-secondary">
                {who.secondary ??
                  (visitor.visitNumber > 1 ? t('visitNumber', { number: visitor.visitNumber }) : t('firstVisit'))}
              </span>
            )}
          </span>
        </button>
        {visitor.person && (
          <Link
            class="visitor-person-link"
            to={personPath(siteKey, visitor.person.id)}
            title={t('personPageTitle', { name: who.primary })}
          >
            {t('personPage')}
          </Link>
        )}
      </td>
      <td class="col-page">
        <span class="pv-title" title={visitor.currentTitle ?? path}>
          {visitor.currentTitle || path}
        </span>
        <span class="pv-path" title={visitor.currentUrl ?? undefined}>
          {path}
        </span>
      </td>
      <td class="col-time-on-site" data-prefix={t('onSitePrefix')}>
        <span title={t('since', { time: formatDate(visitor.sessionStartedAt, { timeStyle: 'medium' }) })}>
          {durationText(time.ms)}
        </span>
        {time.idleMs !== null && (
          <span
            class="visitor-seen"
            title={t('lastSeenAt', { time: formatDate(visitor.lastSeenAt, { timeStyle: 'medium' }) })}
          >
            {t('seenAgo', { ago: relativeTime(visitor.lastSeenAt, now) })}
          </span>
        )}
      </td>
      <td class="col-pages" data-suffix={t('pagesSuffix', { count: visitor.pagesThisVisit })}>
        {visitor.pagesThisVisit}
      </td>
      <td class="col-source">
        <span class={`source${source.paid ? ' source-paid' : ''}`}>{source.label}</span>
        {source.detail && <span class="source-detail">{source.detail}</span>}
      </td>
      <td class="col-lead">
        <TemperatureBadge
          temperature={visitor.temperature}
          score={visitor.score}
          explanation={visitor.explanation}
          size="sm"
        />
      </td>
      <td class="col-invite">
        {state && (
          <span
            class={`badge invite-state invite-${state}`}
            title={invitation ? `“${invitation.message}” — ${invitation.agentName}` : undefined}
          >
            {invitationLabel(state)}
          </span>
        )}
        {preConsent ? (
          <span class="visitor-unreachable" title={t('unreachableTitle')}>
            {t('reachableAfterConsent')}
          </span>
        ) : (
          state !== 'sent' &&
          state !== 'seen' &&
          state !== 'accepted' && (
            <button
              type="button"
              class="btn btn-secondary btn-sm"
              onClick={onInvite}
              aria-label={t('inviteAria', { name: visitorName(visitor).primary })}
            >
              {/* One word or two, so the column fits it in every language; the name says whom and to what. */}
              {t('inviteShort')}
            </button>
          )
        )}
      </td>
    </tr>
  );
}

/** One visitor's story: score and why, visits, pages, and the won / lost label the learner uses. */
function VisitorDialog({ site, visitorId, onClose }: { site: Site; visitorId: string | null; onClose: () => void }) {
  const [detail, setDetail] = useState<VisitorDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const now = useNow(30_000);

  useEffect(() => {
    setDetail(null);
    setError(null);
    if (!visitorId) return;
    let cancelled = false;
    api.getVisitor(site.id, visitorId).then(
      (visitor) => !cancelled && setDetail(visitor),
      (caught: unknown) => !cancelled && setError(errorMessage(caught)),
    );
    return () => {
      cancelled = true;
    };
  }, [site.id, visitorId]);

  const setOutcome = async (outcome: Outcome | null) => {
    if (!detail || busy) return;
    setBusy(true);
    try {
      await api.setOutcome(site.id, detail.visitorId, outcome);
      setDetail({ ...detail, outcome });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const who = detail ? visitorName(detail) : null;
  return (
    <Dialog
      open={visitorId !== null}
      title={who?.primary ?? t('visitor')}
      description={who?.secondary ?? undefined}
      onClose={onClose}
      size="lg"
    >
      {error && <Alert>{error}</Alert>}
      {!detail && !error && <Spinner label={t('loadingVisitor')} />}
      {detail && (
        <div class="stack-lg visitor-detail">
          <div class="visitor-detail-head">
            <TemperatureBadge temperature={detail.temperature} score={detail.score} explanation={detail.explanation} />
            {detail.person && (
              <Link class="btn btn-secondary btn-sm" to={personPath(site.key, detail.person.id)}>
                {t('personPage')}
              </Link>
            )}
            <span class="muted">
              {t('firstSeen', { ago: relativeTime(detail.firstSeenAt, now) })} ·{' '}
              {t('visitCount', { count: detail.sessions.length })}
              {detail.phone ? ` · ${shownPhone(detail.phone)}` : ''}
            </span>
            <div class="segmented segmented-sm outcome-toggle" role="group" aria-label={t('outcome')}>
              {(['won', 'lost'] as const).map((outcome) => (
                <button
                  key={outcome}
                  type="button"
                  class={`segment${detail.outcome === outcome ? ' selected' : ''}`}
                  aria-pressed={detail.outcome === outcome}
                  disabled={busy}
                  onClick={() => void setOutcome(detail.outcome === outcome ? null : outcome)}
                >
                  {outcome === 'won' ? t('won') : t('lost')}
                </button>
              ))}
            </div>
          </div>
          <section>
            <h3 class="subheading">{t('visits')}</h3>
            <ul class="visit-list">
              {detail.sessions.map((session) => (
                <li key={session.id}>
                  <span class="visit-number">#{session.number}</span>
                  <span>{formatDate(session.startedAt, { dateStyle: 'medium', timeStyle: 'short' })}</span>
                  <span class="muted">
                    {t('pageCount', { count: session.pageviews })}
                    {session.engagedMs > 0 ? t('engaged', { duration: durationText(session.engagedMs) }) : ''}
                    {t('fromSource', { source: sourceLabel(session.source).label })}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section>
            <h3 class="subheading">{t('pages')}</h3>
            <ol class="page-list">
              {detail.pages.slice(0, 30).map((page, index) => (
                <li key={`${page.at}-${index}`}>
                  <span class="page-list-title">{page.title || pagePath(page.url)}</span>
                  <span class="pv-path">{pagePath(page.url)}</span>
                  <time class="muted" dateTime={page.at}>
                    {relativeTime(page.at, now)}
                  </time>
                </li>
              ))}
            </ol>
          </section>
        </div>
      )}
    </Dialog>
  );
}

/** "Invite to chat": the agent's message (prefilled) goes to the visitor's widget, which opens the chat with it. */
function InviteDialog({
  site,
  visitor,
  onClose,
  onSent,
}: {
  site: Site;
  visitor: LiveVisitor | null;
  onClose: () => void;
  onSent: (invitation: Invitation) => void;
}) {
  const { me } = useSession();
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!visitor) return;
    setMessage(defaultInviteMessage(me.agent.name, visitor.currentTitle));
    setError(null);
  }, [visitor?.visitorId]);

  const send = async (event: Event) => {
    event.preventDefault();
    if (!visitor || busy) return;
    setBusy(true);
    setError(null);
    try {
      onSent(await api.inviteVisitor(site.id, visitor.visitorId, message.trim()));
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={visitor !== null}
      title={t('inviteToChat')}
      description={visitor ? t('inviteDescription', { name: visitorName(visitor).primary }) : undefined}
      onClose={onClose}
    >
      <form class="stack" onSubmit={send}>
        {error && <Alert>{error}</Alert>}
        <label class="field-label" for="invite-message">
          {t('yourMessage')}
        </label>
        <textarea
          id="invite-message"
          class="input textarea"
          rows={3}
          maxLength={400}
          value={message}
          onInput={(e) => setMessage(e.currentTarget.value)}
        />
        <p class="field-hint">{t('inviteHint')}</p>
        <div class="dialog-actions">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy || !message.trim()}>
            {busy ? t('sending') : t('sendInvitation')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
