import type { InstallHealth, Site } from '@beckon/sdk/protocol';
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { PlusIcon } from '../../components/Icons';
import { useLive } from '../../live';
import { useSession } from '../../session';
import { age } from '../../lib/format';

const refreshMs = 30_000;
/** Only a real web origin can be allowed; "(no origin)" is a server-side or privacy-stripped request. */
const addable = (origin: string) => /^https?:\/\/[^/\s]+$/.test(origin);

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
      setHealth((current) => current && { ...current, refusedOrigins: current.refusedOrigins.filter((entry) => entry.origin !== origin) });
    } catch (caught) {
      setError(`Could not add ${origin}: ${errorMessage(caught)}`);
    } finally {
      setAdding(null);
    }
  };

  return (
    <section class="card" aria-labelledby="health-title">
      <h2 class="card-title" id="health-title">
        Refused and dropped (last 24 h)
      </h2>
      {error && <Alert>{error}</Alert>}
      {!health ? (
        <p class="muted">Loading…</p>
      ) : (
        <>
          {health.refusedOrigins.length === 0 ? (
            <p class="health-line">No requests were refused: every page the widget ran on is allowed.</p>
          ) : (
            <ul class="health-list" aria-label="Refused origins">
              {health.refusedOrigins.map((entry) => (
                <li key={entry.origin} class="health-refused">
                  <p>
                    {entry.requests} request{entry.requests === 1 ? '' : 's'} refused from <code>{entry.origin}</code> in the last 24 h (latest {age(entry.lastAt, now)})
                    {addable(entry.origin) && isAdmin ? ' — add it?' : ''}
                  </p>
                  {addable(entry.origin) &&
                    (isAdmin ? (
                      <button type="button" class="btn btn-secondary btn-sm" disabled={adding !== null} onClick={() => void allow(entry.origin)}>
                        <PlusIcon size={14} />
                        <span>{adding === entry.origin ? 'Adding…' : 'Allow'}</span>
                        <span class="sr-only"> {entry.origin}</span>
                      </button>
                    ) : (
                      <p class="muted">Ask an admin to add it under Allowed origins.</p>
                    ))}
                </li>
              ))}
            </ul>
          )}
          <p class="health-line">
            {health.bots.events === 0
              ? 'No events were dropped as bots.'
              : `${health.bots.events} event${health.bots.events === 1 ? '' : 's'} from ${health.bots.requests} request${health.bots.requests === 1 ? '' : 's'} dropped as bots in the last 24 h (latest ${health.bots.lastAt ? age(health.bots.lastAt, now) : ''}).`}
          </p>
          <p class="muted health-hint">
            Crawlers, link previews and automated browsers (headless Chrome, Playwright, Puppeteer, Lighthouse) are recognised by their user agent and never stored, so they do not show on Visitors or
            skew scores. Test the install in an ordinary browser window.
          </p>
        </>
      )}
    </section>
  );
}
