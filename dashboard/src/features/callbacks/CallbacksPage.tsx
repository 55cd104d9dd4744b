import { useEffect, useState } from 'preact/hooks';
import type { Callback, Site } from '@beckon/sdk/protocol';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { PageHeader } from '../../components/PageHeader';
import { useLive } from '../../live';
import { fullTime, shownAgent, shownPhone } from '../../lib/format';
import { CallerName } from './CallerName';
import { CallbackQueue } from './CallbackQueue';
import { CallbackSettingsCard } from './CallbackSettingsCard';
import { outcomeLabel, telHref } from './queue';
import { rich } from '../../lib/i18n/rich';
import { t } from './i18n';

/** The queue on its own page (links in `callback.*` webhooks point here), with the calls finished lately. */
export function CallbacksPage({ site }: { site: Site }) {
  const live = useLive();
  const [done, setDone] = useState<Callback[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api.listCallbacks(site.id, 'done', 30).then(
        (list) => !cancelled && setDone(list),
        (caught: unknown) => !cancelled && setError(errorMessage(caught)),
      );
    const off = live.on('callback', ({ callback }) => {
      if (callback.siteId === site.id && callback.status === 'done') void load();
    });
    void load();
    return () => {
      cancelled = true;
      off();
    };
  }, [site.id, live.on]);

  return (
    <div class="page page-wide">
      <PageHeader title={t('title')} description={rich(t('description'), { site: <strong>{site.name}</strong> })} />
      <CallbackQueue site={site} />
      <section class="card card-flush cbq" aria-labelledby="cbq-done-title">
        <header class="cbq-head">
          <h2 id="cbq-done-title" class="card-title">
            {t('recentlyFinished')}
          </h2>
        </header>
        {error && (
          <div class="cbq-alert">
            <Alert tone="error">{error}</Alert>
          </div>
        )}
        {done && done.length === 0 && <p class="cbq-empty">{t('noFinished')}</p>}
        {done && done.length > 0 && (
          <ul class="cbq-list">
            {done.map((callback) => (
              <li key={callback.id} class="cbq-row" data-testid="callback-done">
                <div class="cbq-main">
                  <div class="cbq-who">
                    <a class="cbq-phone mono" href={telHref(callback.phone)}>
                      {shownPhone(callback.phone)}
                    </a>
                    <CallerName siteKey={site.key} callback={callback} />
                  </div>
                  <div class="cbq-meta">
                    <span>{callback.assignee ? shownAgent(callback.assignee.name) : t('unassigned')}</span>
                    {callback.note && <span>· {callback.note}</span>}
                  </div>
                </div>
                <span class="cbq-clock">{callback.outcome ? outcomeLabel(callback.outcome) : t('done')}</span>
                <span class="cbq-meta">{fullTime(callback.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <CallbackSettingsCard key={site.id} site={site} />
    </div>
  );
}
