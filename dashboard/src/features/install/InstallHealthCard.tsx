import type { InstallHealth, Site } from '@beckon/sdk/protocol';
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { PlusIcon } from '../../components/Icons';
import { useLive } from '../../live';
import { useSession } from '../../session';
import { currentLocale } from '../../lib/i18n';
import { t } from './i18n';

const refreshMs = 30_000;
/** Only a real web origin can be allowed; "(no origin)" is a server-side or privacy-stripped request. */
const addable = (origin: string) => /^https?:\/\/[^/\s]+$/.test(origin);

/** "3 min ago" in the dashboard's language. */
function ago(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return '';
  const format = new Intl.RelativeTimeFormat(currentLocale(), { numeric: 'auto' });
  if (seconds > -60) return format.format(Math.min(0, seconds), 'second');
  if (seconds > -3600) return format.format(Math.round(seconds / 60), 'minute');
  return format.format(Math.round(seconds / 3600), 'hour');
}

/**
 * What the server refused or dropped for this site in the last 24 h: pages on origins the site does not
 * allow (with one click to allow them), and events from automated browsers that never reach Visitors.
 */
export function InstallHealthCard({ site }: { site: Site }) {
  const { isAdmin, upsertSite } = useSession();
  const live = useLive();
  const [health, setHealth] = useState<InstallHealth | null>(null);
  const [adding, setAdding] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api.installHealth(site.id).then(
        (next) => {
          if (cancelled) return;
          setHealth(next);
          setNow(Date.now());
        },
        () => {},
      );
    void load();
    const timer = setInterval(load, refreshMs);
    const off = live.on('siteUpdated', ({ id }) => id === site.id && void load());
    return () => {
      cancelled = true;
      clearInterval(timer);
      off();
    };
  }, [site.id, site.allowedOrigins.join(' '), live.on]);

  const allow = async (origin: string) => {
    setAdding(origin);
    setError(null);
    try {
      upsertSite(await api.updateSite(site.id, { allowedOrigins: [...site.allowedOrigins, origin] }));
      setHealth(
        (current) =>
          current && { ...current, refusedOrigins: current.refusedOrigins.filter((entry) => entry.origin !== origin) },
      );
    } catch (caught) {
      setError(t('addFailed', { origin, error: errorMessage(caught) }));
    } finally {
      setAdding(null);
    }
  };

  return (
    <section class="card" aria-labelledby="health-title">
      <h2 class="card-title" id="health-title">
        {t('healthTitle')}
      </h2>
      {error && <Alert>{error}</Alert>}
      {!health ? (
        <p class="muted">{t('loading')}</p>
      ) : (
        <>
          {health.refusedOrigins.length === 0 ? (
            <p class="health-line">{t('noneRefused')}</p>
          ) : (
            <ul class="health-list" aria-label={t('refusedOrigins')}>
              {health.refusedOrigins.map((entry) => {
                const [before, after] = t('refused', {
                  count: entry.requests,
                  origin: '\u0000',
                  latest: ago(entry.lastAt, now),
                }).split('\u0000');
                return (
                  <li key={entry.origin} class="health-refused">
                    <p>
                      {before}
                      <code>{entry.origin}</code>
                      {after}
                      {addable(entry.origin) && isAdmin ? t('addIt') : ''}
                    </p>
                    {addable(entry.origin) &&
                      (isAdmin ? (
                        <button
                          type="button"
                          class="btn btn-secondary btn-sm"
                          disabled={adding !== null}
                          onClick={() => void allow(entry.origin)}
                        >
                          <PlusIcon size={14} />
                          <span>{adding === entry.origin ? t('adding') : t('allow')}</span>
                          <span class="sr-only"> {entry.origin}</span>
                        </button>
                      ) : (
                        <p class="muted">{t('askAdmin')}</p>
                      ))}
                  </li>
                );
              })}
            </ul>
          )}
          <p class="health-line">
            {health.bots.events === 0
              ? t('noBots')
              : t('bots', {
                  count: health.bots.events,
                  requests: t('requests', { count: health.bots.requests }),
                  latest: health.bots.lastAt ? ago(health.bots.lastAt, now) : '',
                })}
          </p>
          <p class="muted health-hint">{t('botsHint')}</p>
        </>
      )}
    </section>
  );
}
