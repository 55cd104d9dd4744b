import type { CallbackOptions, VisitorCallback } from '@beckon/sdk/protocol';
import { truncate } from '@beckon/sdk/core';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { UiContext } from '../../shared/contract.js';
import { readWaiting, waitingKey } from '../../shared/chat-storage.js';
import { Panel } from '../Panel.js';
import { ViewHeader } from '../ViewHeader.js';
import { callbackStatus, loadOptions, requestCallback, type ApiResult } from './api.js';
import { fill, formsEn, type FormStrings } from '../forms-i18n/en.js';
import { count } from '../plural.js';

type Strings = FormStrings['callback'];

type PhoneModule = typeof import('./phone.js');

export interface CallbackViewProps {
  context: Pick<UiContext, 'config' | 'endpoint' | 'emit' | 'log'> & { core: { visitorId: string } };
  onBack(): void;
  onClose(): void;
  /** Injected by tests; the real widget imports the phone chunk lazily. */
  loadPhone?: () => Promise<PhoneModule>;
  /** Status polling period while the visitor waits for a "now" call. */
  pollMs?: number;
  /** The site's language (English by default). */
  strings?: Strings;
  /** A proactive trigger's line, shown above the form (text only). */
  intro?: string;
}

interface Sent {
  callback: VisitorCallback;
  token: string;
  /** Local clock time the countdown ends (server durations, local clock: no skew). */
  endsAt: number | null;
}

/**
 * The request this tab is waiting on, so the countdown and "calling you" survive moving to another page
 * of the shop. Session storage (this tab only, gone when it closes), written only after the visitor asked
 * to be called: strictly necessary for the service they requested, like the chat token.
 */
function storeWaiting(siteKey: string, sent: Sent) {
  try {
    sessionStorage.setItem(
      waitingKey(siteKey),
      JSON.stringify({ id: sent.callback.id, token: sent.token, endsAt: sent.endsAt, savedAt: Date.now() }),
    );
  } catch {
    // Storage may be off; the status then lasts for this page only.
  }
}

export function forgetWaiting(siteKey: string) {
  try {
    sessionStorage.removeItem(waitingKey(siteKey));
  } catch {
    // Nothing stored.
  }
}

function visitorTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

const dayKey = (date: Date) => `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
const timeLabel = (date: Date, locale: string) =>
  date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
const dayLabel = (s: Strings, date: Date, locale: string, now = new Date()) => {
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  if (dayKey(date) === dayKey(now)) return s.today;
  if (dayKey(date) === dayKey(tomorrow)) return s.tomorrow;
  return date.toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'short' });
};

/** What a refused request means for the visitor, in plain words. */
function refusal(
  s: Strings,
  result: Extract<ApiResult<unknown>, { ok: false }>,
): { field?: 'phone' | 'slot'; text: string; reload?: boolean } {
  const details = result.error?.details as { reason?: string } | undefined;
  if (result.status === 429 && details?.reason === 'phone_daily_limit') return { text: s.phoneLimit };
  if (result.status === 429 && details?.reason === 'too_fast') return { text: s.tooFast };
  if (result.status === 429)
    return { text: fill(s.tooMany, { minutes: Math.max(1, Math.ceil((result.retryAfter ?? 60) / 60)) }) };
  if (result.status === 403 && details?.reason === 'blocked_prefix') return { field: 'phone', text: s.blocked };
  if (result.status === 409) return { text: s.nobodyNow, reload: true };
  if (result.status === 400 && JSON.stringify(result.error?.details ?? '').includes('"phone"'))
    return { field: 'phone', text: s.badPhone };
  if (result.status === 400 && JSON.stringify(result.error?.details ?? '').includes('"at"'))
    return { field: 'slot', text: s.slotGone, reload: true };
  return { text: s.failed };
}

/**
 * "Call me back": phone (country from the browser's languages, checked with libphonenumber-js), an
 * optional name, and "now" (only while someone can call) or a slot inside business hours. After sending,
 * a "now" request shows the promised countdown and polls its status until an agent takes it.
 */
export function CallbackView({
  context,
  onBack,
  onClose,
  loadPhone = () => import('./phone.js'),
  pollMs = 3000,
  strings: s = formsEn.callback,
  intro,
}: CallbackViewProps) {
  const { config, endpoint } = context;
  const language = config.widget.language;
  // Days, times and country names in the widget's language (the visitor's own, on an `auto` site).
  const locale = language;
  const [options, setOptions] = useState<CallbackOptions | null>(null);
  const [phoneLib, setPhoneLib] = useState<PhoneModule | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [country, setCountry] = useState<string>('');
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [honeypot, setHoneypot] = useState('');
  const [mode, setMode] = useState<'now' | 'later'>('now');
  const [day, setDay] = useState('');
  const [slot, setSlot] = useState('');
  const [errors, setErrors] = useState<{ phone?: string; slot?: string; form?: string }>({});
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<Sent | null>(null);
  const openedAt = useRef(Date.now());
  const firstField = useRef<HTMLElement>(null);

  async function resume(): Promise<boolean> {
    const waiting = readWaiting(config.siteKey);
    if (!waiting) return false;
    const result = await callbackStatus(endpoint, waiting.id, waiting.token);
    if (!result.ok || result.value.callback.status === 'done') {
      forgetWaiting(config.siteKey);
      return false;
    }
    // "Calling you" is shown this once; after that the form is free for a new request.
    if (result.value.callback.status !== 'pending') forgetWaiting(config.siteKey);
    setSent({ callback: result.value.callback, token: waiting.token, endsAt: waiting.endsAt });
    return true;
  }

  async function refresh() {
    const [loaded, lib] = await Promise.all([
      loadOptions(endpoint, config.siteKey),
      phoneLib ?? loadPhone().catch(() => null),
    ]);
    if (!loaded.ok || !lib) {
      context.log('callback form unavailable', loaded);
      setLoadFailed(true);
      return;
    }
    setPhoneLib(lib);
    setCountry(
      (current) =>
        current ||
        (lib.detectCountry(typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language])) ??
          ''),
    );
    setOptions(loaded.value);
    if (!loaded.value.now.available) setMode('later');
  }

  useEffect(() => {
    void resume().then((resumed) => {
      if (!resumed) return refresh();
    });
  }, []);
  useLayoutEffect(() => firstField.current?.focus(), [options !== null, sent !== null]);

  const days = useMemo(() => {
    const grouped = new Map<string, { label: string; slots: Date[] }>();
    for (const entry of options?.slots ?? []) {
      const at = new Date(entry.at);
      const key = dayKey(at);
      if (!grouped.has(key)) grouped.set(key, { label: dayLabel(s, at, locale), slots: [] });
      grouped.get(key)!.slots.push(at);
    }
    return grouped;
  }, [options]);
  const chosenDay = days.get(day) ?? days.values().next().value;
  const countries = useMemo(() => (phoneLib ? phoneLib.countryOptions(locale) : []), [phoneLib]);

  async function submit(event: Event) {
    event.preventDefault();
    if (!phoneLib || !options || sending) return;
    const e164 = phoneLib.toE164(phone, (country || undefined) as Parameters<PhoneModule['toE164']>[1]);
    const at = mode === 'later' ? slot || chosenDay?.slots[0]?.toISOString() : undefined;
    const found: typeof errors = {};
    if (!e164) found.phone = phone.trim() ? s.badPhone : s.phoneRequired;
    if (mode === 'later' && !at) found.slot = s.noSlots;
    setErrors(found);
    if (found.phone || found.slot) return;
    setSending(true);
    const result = await requestCallback(endpoint, {
      site: config.siteKey,
      phone: e164,
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(at ? { at } : {}),
      visitorId: context.core.visitorId,
      url: truncate(location.href, 2000),
      website: honeypot,
      formMs: Date.now() - openedAt.current,
      // So the agent sees a booked time in the visitor's own clock too.
      timeZone: visitorTimeZone(),
    });
    setSending(false);
    if (!result.ok) {
      const why = refusal(s, result);
      setErrors(why.field ? { [why.field]: why.text } : { form: why.text });
      if (why.reload) void refresh();
      return;
    }
    const { callback, token } = result.value;
    const countdown = callback.countdownEndsAt
      ? Date.parse(callback.countdownEndsAt) - Date.parse(callback.requestedAt)
      : null;
    const next = { callback, token, endsAt: countdown === null ? null : Date.now() + countdown };
    setSent(next);
    // A booked slot needs no watching; a "now" request does, on every page until an agent calls.
    if (callback.mode === 'now') storeWaiting(config.siteKey, next);
    context.emit('callback:requested', { id: callback.id, mode: callback.mode, at: callback.requestedAt });
  }

  const header = (
    <ViewHeader
      id="bk-cb-title"
      title={config.widget.texts.callback}
      language={language}
      backLabel={s.back}
      onBack={onBack}
      onClose={onClose}
    />
  );

  if (sent) {
    return (
      <Panel class="bk-chat bk-form" labelledBy="bk-cb-title" onClose={onClose}>
        {header}
        <Waiting
          s={s}
          sent={sent}
          endpoint={endpoint}
          locale={locale}
          pollMs={pollMs}
          focusRef={firstField}
          onDone={onClose}
          onFinished={() => forgetWaiting(config.siteKey)}
        />
      </Panel>
    );
  }

  return (
    <Panel class="bk-chat bk-form" labelledBy="bk-cb-title" onClose={onClose}>
      {header}
      <div class="bk-scroll bk-fbody">
        {loadFailed ? (
          <p class="bk-banner" role="alert">
            {s.unavailable}
          </p>
        ) : !options || !phoneLib ? (
          <div class="bk-spin" role="status" aria-label={s.loading} />
        ) : !options.enabled ? (
          <p class="bk-banner">{s.unavailable}</p>
        ) : (
          <form class="bk-card" onSubmit={submit} noValidate>
            {intro && <p class="bk-card-t bk-intro">{intro}</p>}
            <p class="bk-card-p bk-lead">
              {options.now.available
                ? count(s.introNow, 'seconds', options.now.countdownSeconds, language)
                : s.introLater}
            </p>
            <div class="bk-field">
              <label for="bk-cb-phone">{s.phone}</label>
              <div class="bk-phone">
                {/* The list names every country; the closed picker shows only "GB +44", which fits a phone's width. */}
                <div class="bk-cc">
                  <span class="bk-in bk-ccv" aria-hidden="true">
                    {countries.find((option) => option.code === country)?.short ?? '+…'}
                  </span>
                  <select
                    id="bk-cb-country"
                    class="bk-ccs"
                    aria-label={s.country}
                    value={country}
                    onChange={(e) => setCountry((e.target as HTMLSelectElement).value)}
                  >
                    <option value="">{s.international}</option>
                    {countries.map((option) => (
                      <option key={option.code} value={option.code}>
                        {option.label}
                      </option>
                    ))}
                  </select>
                </div>
                <input
                  id="bk-cb-phone"
                  ref={firstField as { current: HTMLInputElement | null }}
                  class="bk-in"
                  type="tel"
                  inputMode="tel"
                  autoComplete="tel"
                  maxLength={40}
                  required
                  value={phone}
                  aria-invalid={errors.phone ? 'true' : undefined}
                  aria-describedby={errors.phone ? 'bk-cb-phone-err' : undefined}
                  onInput={(e) => setPhone((e.target as HTMLInputElement).value)}
                />
              </div>
              {errors.phone && (
                <p id="bk-cb-phone-err" class="bk-err" role="alert">
                  {errors.phone}
                </p>
              )}
            </div>
            <div class="bk-field">
              <label for="bk-cb-name">
                {s.name} <span class="bk-opt">({s.optional})</span>
              </label>
              <input
                id="bk-cb-name"
                class="bk-in"
                type="text"
                autoComplete="name"
                maxLength={100}
                value={name}
                onInput={(e) => setName((e.target as HTMLInputElement).value)}
              />
            </div>
            {/* Honeypot: hidden from people and assistive tech; bots that fill every field give themselves away. */}
            <div class="bk-hp" aria-hidden="true">
              <label for="bk-cb-website">Website</label>
              <input
                id="bk-cb-website"
                type="text"
                tabIndex={-1}
                autoComplete="off"
                value={honeypot}
                onInput={(e) => setHoneypot((e.target as HTMLInputElement).value)}
              />
            </div>
            {options.now.available && (
              <fieldset class="bk-modes">
                <legend class="bk-legend">{s.when}</legend>
                <label class="bk-mode">
                  <input type="radio" name="bk-cb-mode" checked={mode === 'now'} onChange={() => setMode('now')} />
                  <span>{s.now}</span>
                </label>
                <label class="bk-mode">
                  <input type="radio" name="bk-cb-mode" checked={mode === 'later'} onChange={() => setMode('later')} />
                  <span>{s.later}</span>
                </label>
              </fieldset>
            )}
            {mode === 'later' &&
              (days.size === 0 ? (
                <p class="bk-err" role="alert">
                  {s.noSlots}
                </p>
              ) : (
                <div class="bk-slots">
                  <div class="bk-field">
                    <label for="bk-cb-day">{s.day}</label>
                    <select
                      id="bk-cb-day"
                      class="bk-in"
                      value={chosenDay ? dayKey(chosenDay.slots[0]!) : ''}
                      onChange={(e) => {
                        setDay((e.target as HTMLSelectElement).value);
                        setSlot('');
                      }}
                    >
                      {[...days].map(([key, entry]) => (
                        <option key={key} value={key}>
                          {entry.label}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div class="bk-field">
                    <label for="bk-cb-time">{s.time}</label>
                    <select
                      id="bk-cb-time"
                      class="bk-in"
                      value={slot || chosenDay?.slots[0]?.toISOString()}
                      aria-invalid={errors.slot ? 'true' : undefined}
                      onChange={(e) => setSlot((e.target as HTMLSelectElement).value)}
                    >
                      {chosenDay?.slots.map((at) => (
                        <option key={at.toISOString()} value={at.toISOString()}>
                          {timeLabel(at, locale)}
                        </option>
                      ))}
                    </select>
                  </div>
                </div>
              ))}
            {errors.slot && days.size > 0 && (
              <p class="bk-err" role="alert">
                {errors.slot}
              </p>
            )}
            {errors.form && (
              <p class="bk-banner" role="alert">
                {errors.form}
              </p>
            )}
            <button type="submit" class="bk-btn" disabled={sending}>
              {sending ? s.sending : mode === 'now' ? s.submitNow : s.submitLater}
            </button>
            <p class="bk-fine">{s.privacy}</p>
          </form>
        )}
      </div>
    </Panel>
  );
}

/** After sending: the countdown and "an agent is calling you", or the booked time. */
function Waiting({
  s,
  sent,
  endpoint,
  locale,
  pollMs,
  focusRef,
  onDone,
  onFinished,
}: {
  s: Strings;
  sent: Sent;
  endpoint: string;
  locale: string;
  pollMs: number;
  focusRef: { current: HTMLElement | null };
  onDone(): void;
  /** The request needs no more watching (an agent is calling, or it is finished). */
  onFinished(): void;
}) {
  const [callback, setCallback] = useState(sent.callback);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    if (callback.mode !== 'now' || callback.status !== 'pending') return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    let stopped = false;
    const started = Date.now();
    // Polling, not a socket: the status changes once or twice, and socket.io stays out of this form.
    async function poll() {
      while (!stopped && Date.now() - started < 15 * 60_000) {
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        if (stopped) return;
        const result = await callbackStatus(endpoint, sent.callback.id, sent.token);
        if (result.ok && result.value.callback.status !== 'pending') {
          setCallback(result.value.callback);
          onFinished();
          return;
        }
      }
    }
    void poll();
    return () => {
      stopped = true;
      clearInterval(tick);
    };
  }, [callback.status]);

  const at = new Date(callback.requestedAt);
  const left = sent.endsAt === null ? 0 : Math.max(0, Math.ceil((sent.endsAt - now) / 1000));
  let title: string;
  let detail: string;
  if (callback.mode === 'scheduled') {
    const sameDay = dayKey(at) === dayKey(new Date());
    const label = dayLabel(s, at, locale);
    const time = timeLabel(at, locale);
    title = sameDay
      ? fill(s.atTime, { time })
      : label === s.tomorrow
        ? fill(s.atTomorrow, { time })
        : fill(s.atDay, { day: label, time });
    detail = s.scheduledDetail;
  } else if (callback.status === 'calling') {
    title = callback.agentName ? fill(s.callingName, { name: callback.agentName }) : s.calling;
    detail = s.callingDetail;
  } else if (callback.status === 'done') {
    title = s.thanks;
    detail = '';
  } else if (left > 0) {
    title = fill(s.countdown, { seconds: left });
    detail = s.countdownDetail;
  } else {
    title = s.anyMoment;
    detail = s.anyMomentDetail;
  }

  return (
    <div class="bk-scroll bk-fbody">
      <div class="bk-card bk-done" role="status" aria-live="polite" aria-atomic="true">
        {callback.mode === 'now' && callback.status === 'pending' && left > 0 && (
          <p class="bk-count" aria-hidden="true">
            {left}
            <small>s</small>
          </p>
        )}
        <p class="bk-card-t" data-state={callback.status}>
          {title}
        </p>
        {detail && <p class="bk-card-p">{detail}</p>}
        <button type="button" class="bk-btn" ref={focusRef as { current: HTMLButtonElement | null }} onClick={onDone}>
          {s.close}
        </button>
      </div>
    </div>
  );
}
