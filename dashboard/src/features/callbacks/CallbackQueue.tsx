import { useEffect, useRef, useState } from 'preact/hooks';
import type { Callback, CallbackOutcome, Site } from '@beckon/sdk/protocol';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { useLive } from '../../live';
import { useSession } from '../../session';
import { describeRouting, fullTime, shownAgent, shownPhone } from '../../lib/format';
import {
  callbackOutcomes,
  deadline,
  hotLeadRules,
  isoToLocalInput,
  localInputToIso,
  mergeIntoQueue,
  orderQueue,
  outcomeLabel,
  telHref,
} from './queue';
import { t } from './i18n';
import { CallerName } from './CallerName';
import './callbacks.css';

/**
 * The callback queue: open requests sorted by deadline with live countdowns, overdue rows highlighted,
 * click-to-call, "I'm calling" and the outcome form. Updates arrive over the agent socket.
 */
export function CallbackQueue({ site }: { site: Site }) {
  const live = useLive();
  const { me } = useSession();
  const [queue, setQueue] = useState<Callback[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const [recording, setRecording] = useState<string | null>(null);
  const [escalated, setEscalated] = useState<ReadonlySet<string>>(new Set());
  const [hotRules, setHotRules] = useState<ReadonlySet<string>>(new Set());
  const siteId = useRef(site.id);
  siteId.current = site.id;

  // Hot leads go first only where a routing rule picks them out; without the rules the queue is by deadline.
  useEffect(() => {
    let cancelled = false;
    setHotRules(new Set());
    api.getRouting(site.id).then(
      ({ settings }) => !cancelled && setHotRules(hotLeadRules(settings.rules)),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [site.id]);

  useEffect(() => {
    let cancelled = false;
    setQueue(null);
    const load = () =>
      api.listCallbacks(site.id, 'open').then(
        (list) => {
          if (cancelled) return;
          setQueue((current) => mergeIntoQueue(current ?? [], list));
          setError(null);
        },
        (caught: unknown) => !cancelled && setError(errorMessage(caught)),
      );
    // Listen before loading: nothing pushed during the request is lost (the merge dedupes).
    const off = live.on('callback', ({ callback, kind }) => {
      if (callback.siteId !== siteId.current) return;
      setQueue((current) => mergeIntoQueue(current ?? [], [callback]));
      if (kind === 'overdue') setEscalated((current) => new Set(current).add(callback.id));
    });
    const offConnect = live.on('connect', () => void load());
    void load();
    return () => {
      cancelled = true;
      off();
      offConnect();
    };
  }, [site.id, live.on]);

  // Links from notifications and webhooks (`…/callbacks#<id>`) land on their row once it is rendered.
  const [target, setTarget] = useState<string | null>(null);
  useEffect(() => {
    const id = decodeURIComponent(location.hash.slice(1));
    if (!queue || !id || target === id) return;
    const row = document.getElementById(id);
    if (!row) return;
    row.scrollIntoView({ block: 'center' });
    setTarget(id);
  }, [queue]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  async function take(callback: Callback) {
    try {
      const taken = await api.takeCallback(site.id, callback.id);
      setQueue((current) => mergeIntoQueue(current ?? [], [taken]));
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  const overdue = (queue ?? []).filter((callback) => deadline(callback, now).state === 'overdue').length;

  return (
    <section class="card card-flush cbq" aria-labelledby="cbq-title">
      <header class="cbq-head">
        <h2 id="cbq-title" class="card-title">
          {t('queueTitle')}
          <span class="badge badge-neutral">{queue?.length ?? 0}</span>
          {overdue > 0 && (
            <span class="badge cbq-badge-overdue" role="status">
              {t('overdueCount', { count: overdue })}
            </span>
          )}
        </h2>
        <p class="cbq-sub">{hotRules.size > 0 ? t('queueOrderHot') : t('queueOrder')}</p>
      </header>
      {error && (
        <div class="cbq-alert">
          <Alert tone="error">{error}</Alert>
        </div>
      )}
      {queue === null ? (
        <p class="cbq-empty">{t('loading')}</p>
      ) : queue.length === 0 ? (
        <p class="cbq-empty">{t('emptyQueue')}</p>
      ) : (
        <ul class="cbq-list">
          {orderQueue(queue, now, hotRules).map(({ callback, place }) => {
            const due = deadline(callback, now);
            const mine = callback.assignee?.id === me.agent.id;
            return (
              <li
                key={callback.id}
                id={callback.id}
                class={`cbq-row cbq-${due.state}${escalated.has(callback.id) ? ' cbq-escalated' : ''}${target === callback.id ? ' cbq-target' : ''}`}
                data-testid="callback-row"
              >
                <div class="cbq-main">
                  <div class="cbq-who">
                    <a class="cbq-phone mono" href={telHref(callback.phone)} title={t('callWithPhone')}>
                      {shownPhone(callback.phone)}
                    </a>
                    <CallerName siteKey={site.key} callback={callback} />
                    {(callback.temperature === 'hot' || callback.temperature === 'warm') && (
                      <span class={`tag tag-${callback.temperature}`}>
                        {callback.temperature === 'hot' ? t('hot') : t('warm')}
                      </span>
                    )}
                  </div>
                  <div class="cbq-meta">
                    <span>
                      {callback.mode === 'now'
                        ? t('askedNow')
                        : t('bookedFor', { time: fullTime(callback.requestedAt) })}
                    </span>
                    {callback.attempts > 0 && <span>{t('attempts', { count: callback.attempts })}</span>}
                    {callback.outcome === 'no_answer' && (
                      <span>
                        {callback.note ? t('noAnswerLastTimeNote', { note: callback.note }) : t('noAnswerLastTime')}
                      </span>
                    )}
                    {callback.assignee && <span>· {mine ? t('yours') : shownAgent(callback.assignee.name)}</span>}
                  </div>
                  {place.kind === 'hot_rule' && (
                    <div class="cbq-place">{t('upTheQueue', { rule: place.ruleName })}</div>
                  )}
                  {callback.assignee && callback.routing && (
                    <div class="cbq-routing">{describeRouting(callback.routing)}</div>
                  )}
                </div>
                <div class="cbq-due">
                  <span class={`cbq-clock cbq-clock-${due.state}`} data-testid="callback-countdown">
                    {due.state === 'calling'
                      ? t('isCalling', { name: callback.assignee ? shownAgent(callback.assignee.name) : t('anAgent') })
                      : due.label}
                  </span>
                </div>
                <div class="cbq-actions">
                  {callback.status === 'pending' && (
                    <button type="button" class="btn btn-primary btn-sm" onClick={() => void take(callback)}>
                      {t('imCalling')}
                    </button>
                  )}
                  <button
                    type="button"
                    class="btn btn-secondary btn-sm"
                    aria-expanded={recording === callback.id}
                    onClick={() => setRecording(recording === callback.id ? null : callback.id)}
                  >
                    {t('outcome')}
                  </button>
                </div>
                {recording === callback.id && (
                  <OutcomeForm
                    site={site}
                    callback={callback}
                    onDone={(updated) => {
                      setRecording(null);
                      setQueue((current) => mergeIntoQueue(current ?? [], [updated]));
                    }}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function OutcomeForm({ site, callback, onDone }: { site: Site; callback: Callback; onDone(callback: Callback): void }) {
  const [outcome, setOutcome] = useState<CallbackOutcome>('reached');
  const [note, setNote] = useState('');
  const [retryAt, setRetryAt] = useState(() => isoToLocalInput(new Date(Date.now() + 60 * 60_000)));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(event: Event) {
    event.preventDefault();
    const retry = outcome === 'no_answer' ? localInputToIso(retryAt) : null;
    setSaving(true);
    try {
      onDone(
        await api.recordCallbackOutcome(site.id, callback.id, {
          outcome,
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(retry ? { retryAt: retry } : {}),
        }),
      );
    } catch (caught) {
      setError(errorMessage(caught));
      setSaving(false);
    }
  }

  return (
    <form class="cbq-outcome" onSubmit={save} aria-label={t('outcomeOf', { phone: shownPhone(callback.phone) })}>
      <label class="field">
        <span class="field-label">{t('outcome')}</span>
        <select
          class="input select"
          value={outcome}
          onChange={(event) => setOutcome(event.currentTarget.value as CallbackOutcome)}
        >
          {callbackOutcomes.map((value) => (
            <option value={value}>{outcomeLabel(value)}</option>
          ))}
        </select>
      </label>
      {outcome === 'no_answer' && (
        <label class="field">
          <span class="field-label">{t('tryAgainAt')}</span>
          <input
            class="input"
            type="datetime-local"
            value={retryAt}
            onInput={(event) => setRetryAt(event.currentTarget.value)}
          />
          <span class="field-hint">{t('tryAgainHint')}</span>
        </label>
      )}
      <label class="field cbq-note">
        <span class="field-label">
          {t('note')} <span class="field-optional">{t('optional')}</span>
        </span>
        <textarea
          class="input"
          rows={2}
          maxLength={2000}
          value={note}
          onInput={(event) => setNote(event.currentTarget.value)}
        />
      </label>
      {error && <Alert tone="error">{error}</Alert>}
      <div class="cbq-outcome-actions">
        <button type="submit" class="btn btn-primary btn-sm" disabled={saving}>
          {saving ? t('saving') : t('saveOutcome')}
        </button>
      </div>
    </form>
  );
}
