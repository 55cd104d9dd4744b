import { useEffect, useRef, useState } from 'preact/hooks';
import type { LivePageview, Site } from '@beckon/sdk/protocol';
import { visitorLabel } from '@beckon/sdk/protocol/constants';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { ActivityIcon, CodeIcon, ExternalLinkIcon } from '../../components/Icons';
import { Link } from '../../components/Link';
import { EmptyState, Spinner } from '../../components/PageHeader';
import { useLive } from '../../live';
import { mergePageviews, pagePath, referrerLabel, relativeTime, shortId, visitorHue } from './pageviews';
import { shownName } from '../../lib/format';
import { formatDate } from '../../lib/i18n';
import { rich } from '../../lib/i18n/rich';
import { t } from './i18n';

/** How long a pushed row stays highlighted. */
const HIGHLIGHT_MS = 2_500;

/** A site's recent pageviews as the Visitors page follows them. */
export interface PageviewFeed {
  /** Newest first. */
  pageviews: LivePageview[];
  /** Until the first load has answered. */
  loading: boolean;
  error: string | null;
  /** Ids of the rows pushed a moment ago (highlighted). */
  fresh: ReadonlySet<string>;
}

/**
 * Loads the site's recent pageviews and follows the pushed ones. The page holds the feed rather than the
 * table, because the page also reads it to tell a site that has had traffic from one that never has.
 */
export function usePageviewFeed(site: Site): PageviewFeed {
  const live = useLive();
  const [pageviews, setPageviews] = useState<LivePageview[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const siteId = useRef(site.id);
  siteId.current = site.id;

  // Initial list over REST; listen first so nothing pushed during the request is lost (merge dedupes).
  useEffect(() => {
    let cancelled = false;
    setPageviews([]);
    setFresh(new Set());
    setLoading(true);
    setError(null);

    const load = () =>
      api.listPageviews(site.id, 50).then(
        (list) => {
          if (cancelled) return;
          setPageviews((current) => mergePageviews(current, list));
          setError(null);
          setLoading(false);
        },
        (caught: unknown) => {
          if (cancelled) return;
          setError(errorMessage(caught));
          setLoading(false);
        },
      );

    const offPageview = live.on('pageview', (pageview) => {
      if (pageview.siteId !== siteId.current) return;
      setPageviews((current) => mergePageviews(current, [pageview]));
      setFresh((current) => new Set(current).add(pageview.id));
      setTimeout(() => {
        setFresh((current) => {
          const next = new Set(current);
          next.delete(pageview.id);
          return next;
        });
      }, HIGHLIGHT_MS);
    });
    // Once the stream has begun (the Visitors page asks for it), and after every reconnect: what came before it.
    const offWatched = live.on('visitorsWatched', (watched) => {
      if (watched.siteId === siteId.current) void load();
    });
    void load();
    return () => {
      cancelled = true;
      offPageview();
      offWatched();
    };
  }, [site.id, live.on]);

  return { pageviews, loading, error, fresh };
}

/** The raw pageview stream under the Visitors list: every page as it is viewed, newest first. */
/** `nameOf`: the visitor's one display name (the Visitors list knows their person); by default their stable label. */
export function RecentPageviews({
  feed: { pageviews, loading, error, fresh },
  nameOf = (visitorId) => shownName(visitorLabel(visitorId)),
}: {
  feed: PageviewFeed;
  nameOf?: (visitorId: string) => string;
}) {
  const [now, setNow] = useState(Date.now());

  // Relative times and the 5-minute window move on even when nothing arrives.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(timer);
  }, []);

  return (
    <section class="stack" aria-labelledby="recent-pageviews">
      <div class="section-heading">
        <h2 class="section-title" id="recent-pageviews">
          {t('recentPageviews')}
        </h2>
        <span class="section-note">
          {pageviews[0] ? t('latest', { ago: relativeTime(pageviews[0].receivedAt, now) }) : t('asTheyHappen')}
        </span>
      </div>
      {error && <Alert>{t('pageviewsLoadFailed', { error })}</Alert>}

      {loading ? (
        <div class="card">
          <Spinner label={t('loadingPageviews')} />
        </div>
      ) : pageviews.length === 0 ? (
        <div class="card">
          <p class="muted">{t('noPageviews')}</p>
        </div>
      ) : (
        <div class="card card-flush">
          <table class="table live-table">
            <caption class="sr-only">{t('pageviewsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col" class="col-time">
                  {t('colTime')}
                </th>
                <th scope="col">{t('colPage')}</th>
                <th scope="col" class="col-referrer">
                  {t('colReferrer')}
                </th>
                <th scope="col" class="col-visitor">
                  {t('colVisitor')}
                </th>
                <th scope="col" class="col-session">
                  {t('colSession')}
                </th>
              </tr>
            </thead>
            <tbody>
              {pageviews.map((pageview) => (
                <PageviewRow
                  key={pageview.id}
                  pageview={pageview}
                  now={now}
                  fresh={fresh.has(pageview.id)}
                  name={nameOf(pageview.visitorId)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/**
 * The demo shop on this server reports to the site that allows this server's own origin (the seeded
 * demo site), so "open /demo/" is the quickest way to see data there; elsewhere, installing comes first.
 */
export function WaitingForVisitors({ site }: { site: Site }) {
  const feedsFromDemo = site.allowedOrigins.includes(window.location.origin);
  const demo = (
    <a class={`btn ${feedsFromDemo ? 'btn-primary' : 'btn-secondary'}`} href="/demo/" target="_blank" rel="noopener">
      <ExternalLinkIcon size={16} />
      <span>{t('openDemoShop')}</span>
    </a>
  );
  const install = (
    <Link
      class={`btn ${feedsFromDemo ? 'btn-secondary' : 'btn-primary'}`}
      to={`/sites/${encodeURIComponent(site.key)}/install`}
    >
      <CodeIcon size={16} />
      <span>{t('installSnippet')}</span>
    </Link>
  );
  return (
    <EmptyState
      icon={<ActivityIcon size={22} />}
      title={t('waitingTitle')}
      actions={
        feedsFromDemo ? (
          <>
            {demo}
            {install}
          </>
        ) : (
          <>
            {install}
            {demo}
          </>
        )
      }
    >
      {feedsFromDemo
        ? rich(t('waitingDemo'), { demo: <code>/demo/</code> })
        : rich(t('waitingInstall'), { site: site.name, demo: <code>/demo/</code> })}
    </EmptyState>
  );
}

function PageviewRow({
  pageview,
  now,
  fresh,
  name,
}: {
  pageview: LivePageview;
  now: number;
  fresh: boolean;
  name: string;
}) {
  const path = pagePath(pageview.url);
  const referrer = referrerLabel(pageview.referrer, pageview.url);
  const time = new Date(pageview.receivedAt);
  return (
    <tr class={fresh ? 'row-fresh' : undefined}>
      <td class="col-time">
        <time dateTime={pageview.receivedAt} title={formatDate(time, { dateStyle: 'medium', timeStyle: 'medium' })}>
          <span class="time-clock">{formatDate(time, { hour: 'numeric', minute: '2-digit', second: '2-digit' })}</span>
          <span class="time-ago">{relativeTime(pageview.receivedAt, now)}</span>
        </time>
      </td>
      <td class="col-page">
        <span class="pv-title" title={pageview.title ?? path}>
          {pageview.title || path}
        </span>
        <span class="pv-path" title={pageview.url}>
          {path}
        </span>
      </td>
      <td class="col-referrer" data-prefix={t('fromPrefix')}>
        <span class={`referrer referrer-${referrer.kind}`} title={pageview.referrer ?? undefined}>
          {referrer.label}
        </span>
      </td>
      <td class="col-visitor">
        <span class="visitor" title={pageview.visitorId}>
          <span
            class="visitor-dot"
            style={{ background: `hsl(${visitorHue(pageview.visitorId)} 65% 55%)` }}
            aria-hidden="true"
          />
          <span class="pv-visitor" title={name}>
            {name}
          </span>
        </span>
      </td>
      <td class="col-session">
        <code title={pageview.sessionId}>{shortId(pageview.sessionId)}</code>
      </td>
    </tr>
  );
}
