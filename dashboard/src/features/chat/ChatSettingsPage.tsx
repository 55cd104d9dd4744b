import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ChatSettings, Site } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Field, describedBy } from '../../components/Field';
import { CheckIcon, ClockIcon, PlusIcon, XIcon } from '../../components/Icons';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../session';
import { useNow } from '../../lib/hooks';
import { CannedResponses } from './CannedResponses';
import {
  DAY_NAMES,
  DISPLAY_ORDER,
  addInterval,
  browserTimeZone,
  copyDay,
  defaultWeek,
  describeWeek,
  fromWeek,
  isOpenAt,
  localTime,
  removeInterval,
  setDayOpen,
  timeZones,
  toWeek,
  updateInterval,
  type Week,
} from './hours';
import { autoReplyPreview, fieldModeLabels, prechatFields, sameChatSettings, validateChatSettings } from './settings';

/** Per-site chat behaviour: pre-chat form, business hours, typing preview, greeting and auto-reply. */
export function ChatSettingsPage({ site }: { site: Site }) {
  const { isAdmin, upsertSite } = useSession();
  const [draft, setDraft] = useState<ChatSettings>(site.chat);
  const [week, setWeek] = useState<Week>(() => toWeek(site.chat.businessHours));
  const [minutesText, setMinutesText] = useState(String(site.chat.expectedReplyMinutes));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const now = useNow(30_000);
  const zones = useMemo(() => timeZones(draft.businessHours?.timezone), [draft.businessHours?.timezone]);

  // The draft's hours follow the week editor; the week is the source of truth while editing.
  const current: ChatSettings = draft.businessHours ? { ...draft, businessHours: fromWeek(draft.businessHours.timezone, week) } : draft;
  const dirty = !sameChatSettings(current, site.chat);

  const reset = (settings: ChatSettings) => {
    setDraft(settings);
    setWeek(toWeek(settings.businessHours));
    setMinutesText(String(settings.expectedReplyMinutes));
    setFields({});
    setError(null);
  };

  // Another admin saved (site:updated) or we switched sites: follow the server unless we have edits.
  useEffect(() => {
    if (!dirty) reset(site.chat);
  }, [site.chat]);
  useEffect(() => reset(site.chat), [site.id]);

  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(false), 2500);
    return () => clearTimeout(timer);
  }, [saved]);

  // Deep link from the composer's "Manage canned responses".
  useEffect(() => {
    if (location.hash === '#canned') document.getElementById('canned')?.scrollIntoView();
  }, []);

  const update = (patch: Partial<ChatSettings>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };
  const editWeek = (next: Week) => {
    setWeek(next);
    setSaved(false);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (!dirty || busy) return;
    const chat: ChatSettings = { ...current, greeting: current.greeting.trim(), autoReply: current.autoReply.trim() };
    const local = validateChatSettings(chat, chat.businessHours ? week : null);
    setFields(local);
    if (Object.keys(local).length) {
      setError('Please fix the highlighted fields.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await api.updateSite(site.id, { chat });
      upsertSite(updated);
      reset(updated.chat);
      setSaved(true);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'validation_failed') {
        setFields(caught.fieldErrors());
        setError(caught.message);
      } else {
        setError(errorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  };

  const hours = current.businessHours;
  const local = hours ? localTime(new Date(now), hours.timezone) : null;
  const openNow = isOpenAt(hours, new Date(now));
  const err = (path: string) => fields[`chat.${path}`];

  return (
    <div class="page">
      <PageHeader
        title="Chat settings"
        description={<>How live chat behaves on <strong>{site.name}</strong>: what visitors are asked, when you are open, and what they read first.</>}
      />
      <div class="page-grid">
        <div class="stack-lg">
          <form class="stack-lg" onSubmit={save} noValidate>
            {!isAdmin && (
              <Alert tone="info">
                Only admins can change these settings. Canned responses below are open to every agent.
              </Alert>
            )}
            {error && <Alert>{error}</Alert>}

            <fieldset class="card" disabled={!isAdmin}>
              <legend class="card-title card-legend">Before the chat</legend>
              <p class="card-description">Asked before the visitor's first message. A required field must be filled in to start the chat.</p>
              <div class="prechat-rows">
                {prechatFields.map(({ key, label }) => (
                  <div class="prechat-row" key={key}>
                    <span class="prechat-label" id={`prechat-${key}`}>
                      {label}
                    </span>
                    <div class="segmented segmented-sm" role="radiogroup" aria-labelledby={`prechat-${key}`}>
                      {(['off', 'optional', 'required'] as const).map((mode) => (
                        <label key={mode} class={`segment${draft.prechat[key] === mode ? ' selected' : ''}`}>
                          <input
                            type="radio"
                            name={`prechat-${key}`}
                            value={mode}
                            checked={draft.prechat[key] === mode}
                            onChange={() => update({ prechat: { ...draft.prechat, [key]: mode } })}
                          />
                          <span>{fieldModeLabels[mode]}</span>
                        </label>
                      ))}
                    </div>
                  </div>
                ))}
              </div>
            </fieldset>

            <fieldset class="card" disabled={!isAdmin}>
              <legend class="card-title card-legend">Availability</legend>
              <p class="card-description">
                Visitors can chat live while an agent is online{hours ? ' and you are open' : ''}. Otherwise they leave a message, which
                reaches the inbox as an <em>offline message</em>.
              </p>
              <div class="choice-grid" role="radiogroup" aria-label="Opening hours">
                <label class={`choice${!hours ? ' selected' : ''}`}>
                  <input type="radio" name="hours-mode" checked={!hours} onChange={() => update({ businessHours: null })} />
                  <span class="choice-title">Always open</span>
                  <span class="choice-text">Live whenever an agent is online.</span>
                </label>
                <label class={`choice${hours ? ' selected' : ''}`}>
                  <input
                    type="radio"
                    name="hours-mode"
                    checked={Boolean(hours)}
                    onChange={() => {
                      const zone = site.chat.businessHours?.timezone ?? browserTimeZone();
                      if (!site.chat.businessHours) setWeek(defaultWeek());
                      update({ businessHours: { timezone: zone, intervals: [] } });
                    }}
                  />
                  <span class="choice-title">Business hours</span>
                  <span class="choice-text">Live only inside the hours below.</span>
                </label>
              </div>

              {hours && (
                <div class="hours">
                  <div class="hours-top">
                    <Field id="chat-timezone" label="Time zone" error={err('businessHours.timezone')}>
                      <select
                        id="chat-timezone"
                        class="input select"
                        value={hours.timezone}
                        onChange={(event) => update({ businessHours: { timezone: event.currentTarget.value, intervals: [] } })}
                        {...describedBy('chat-timezone', err('businessHours.timezone'), false)}
                      >
                        {zones.map((zone) => (
                          <option key={zone} value={zone}>
                            {zone.replaceAll('_', ' ')}
                          </option>
                        ))}
                      </select>
                    </Field>
                    <p class={`open-now ${openNow ? 'is-open' : 'is-closed'}`} role="status">
                      <ClockIcon size={14} />
                      <span>
                        {openNow ? 'Open now' : 'Closed now'}
                        {local && <span class="open-now-time"> · {local.label} there</span>}
                      </span>
                    </p>
                  </div>

                  <WeekEditor week={week} onChange={editWeek} fields={fields} />
                  {err('businessHours.week') && (
                    <p class="field-error" role="alert">
                      {err('businessHours.week')}
                    </p>
                  )}
                  <p class="field-hint">{describeWeek(hours)}. Times are in {hours.timezone.replaceAll('_', ' ')}; an interval cannot run past 23:59.</p>
                </div>
              )}
            </fieldset>

            <fieldset class="card" disabled={!isAdmin}>
              <legend class="card-title card-legend">Messages</legend>
              <Field id="chat-greeting" label="Greeting" hint={<Counter value={draft.greeting} max={400} />} error={err('greeting')}>
                <textarea
                  id="chat-greeting"
                  class="input textarea"
                  rows={2}
                  maxLength={400}
                  value={draft.greeting}
                  onInput={(event) => update({ greeting: event.currentTarget.value })}
                  {...describedBy('chat-greeting', err('greeting'))}
                />
              </Field>
              <Field
                id="chat-auto-reply"
                label="Auto-reply"
                optional
                error={err('autoReply')}
                hint={
                  <>
                    Sent once after the visitor's first message while nobody has answered. <code>{'{minutes}'}</code> becomes the expected reply
                    time. Leave empty to send none.
                  </>
                }
              >
                <textarea
                  id="chat-auto-reply"
                  class="input textarea"
                  rows={2}
                  maxLength={400}
                  value={draft.autoReply}
                  onInput={(event) => update({ autoReply: event.currentTarget.value })}
                  {...describedBy('chat-auto-reply', err('autoReply'))}
                />
              </Field>
              {draft.autoReply.trim() && (
                <div class="auto-reply-preview" aria-label="Auto-reply preview">
                  <span class="preview-label">Visitors read</span>
                  <p>{autoReplyPreview({ autoReply: draft.autoReply.trim(), expectedReplyMinutes: draft.expectedReplyMinutes })}</p>
                </div>
              )}
              <Field id="chat-minutes" label="Expected reply time" error={err('expectedReplyMinutes')} hint="In minutes, from 1 to 1440 (a day).">
                <div class="input-suffix">
                  <input
                    id="chat-minutes"
                    class="input"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={1440}
                    step={1}
                    value={minutesText}
                    onInput={(event) => {
                      const text = event.currentTarget.value;
                      setMinutesText(text);
                      update({ expectedReplyMinutes: text === '' ? Number.NaN : Number(text) });
                    }}
                    {...describedBy('chat-minutes', err('expectedReplyMinutes'))}
                  />
                  <span>minutes</span>
                </div>
              </Field>
            </fieldset>

            <fieldset class="card" disabled={!isAdmin}>
              <legend class="card-title card-legend">Privacy</legend>
              <label class="switch-row">
                <span class="switch">
                  <input type="checkbox" role="switch" checked={draft.typingPreview} onChange={(event) => update({ typingPreview: event.currentTarget.checked })} />
                  <span class="switch-track" aria-hidden="true" />
                </span>
                <span class="switch-text">
                  <span class="switch-title">Typing preview</span>
                  <span class="switch-description">
                    Agents see what visitors type before they send it, so answers can start sooner. Turn it off for sites where visitors may type
                    something they then decide not to send (health, legal, finance). Takes effect at once.
                  </span>
                </span>
              </label>
            </fieldset>

            {isAdmin && (
              <div class={`save-bar${dirty || saved ? ' visible' : ''}`}>
                <span class="save-state" role="status">
                  {saved ? (
                    <>
                      <CheckIcon size={16} /> Saved. Open chats use the new settings right away.
                    </>
                  ) : dirty ? (
                    'Unsaved changes'
                  ) : (
                    ''
                  )}
                </span>
                <div class="save-actions">
                  <button type="button" class="btn btn-ghost" onClick={() => reset(site.chat)} disabled={!dirty || busy}>
                    Discard
                  </button>
                  <button type="submit" class="btn btn-primary" disabled={!dirty || busy}>
                    {busy ? 'Saving…' : 'Save changes'}
                  </button>
                </div>
              </div>
            )}
          </form>

          <CannedResponses site={site} />
        </div>

        <aside class="stack">
          <div class="card">
            <h2 class="card-title">At a glance</h2>
            <dl class="details">
              <div>
                <dt>Pre-chat</dt>
                <dd>
                  {prechatFields
                    .filter(({ key }) => site.chat.prechat[key] !== 'off')
                    .map(({ key, label }) => `${label}${site.chat.prechat[key] === 'required' ? '*' : ''}`)
                    .join(', ') || 'None'}
                </dd>
              </div>
              <div>
                <dt>Hours</dt>
                <dd>{site.chat.businessHours ? (isOpenAt(site.chat.businessHours, new Date(now)) ? 'Open now' : 'Closed now') : 'Always open'}</dd>
              </div>
              <div>
                <dt>Typing preview</dt>
                <dd>{site.chat.typingPreview ? 'On' : 'Off'}</dd>
              </div>
              <div>
                <dt>Reply within</dt>
                <dd>{site.chat.expectedReplyMinutes} min</dd>
              </div>
            </dl>
          </div>
        </aside>
      </div>
    </div>
  );
}

function Counter({ value, max }: { value: string; max: number }) {
  const length = value.trim().length;
  return <span class={`counter${length > max * 0.9 ? ' near' : ''}`}>{`${length} / ${max}`}</span>;
}

/** One row per day (Monday first): open or closed, one or more intervals, copy to other days. */
function WeekEditor({ week, onChange, fields }: { week: Week; onChange(week: Week): void; fields: Record<string, string> }) {
  return (
    <div class="week" role="group" aria-label="Weekly hours">
      {DISPLAY_ORDER.map((dayIndex) => {
        const day = week[dayIndex]!;
        const name = DAY_NAMES[dayIndex]!;
        return (
          <div class={`week-row${day.open ? '' : ' closed'}`} key={dayIndex}>
            <label class="week-day">
              <input type="checkbox" checked={day.open} onChange={(event) => onChange(setDayOpen(week, dayIndex, event.currentTarget.checked))} />
              <span>{name}</span>
            </label>
            <div class="week-intervals">
              {day.open ? (
                day.intervals.map((interval, index) => {
                  const error = fields[`chat.businessHours.${dayIndex}.${index}`];
                  const id = `hours-${dayIndex}-${index}`;
                  return (
                    <div class="week-interval-wrap" key={index}>
                      <div class={`week-interval${error ? ' has-error' : ''}`}>
                        <input
                          id={`${id}-open`}
                          class="input time-input"
                          type="time"
                          step={60}
                          value={interval.open}
                          aria-label={`${name} opens`}
                          aria-invalid={error ? true : undefined}
                          onInput={(event) => onChange(updateInterval(week, dayIndex, index, { open: event.currentTarget.value }))}
                        />
                        <span class="week-dash" aria-hidden="true">
                          –
                        </span>
                        <input
                          class="input time-input"
                          type="time"
                          step={60}
                          value={interval.close}
                          aria-label={`${name} closes`}
                          aria-invalid={error ? true : undefined}
                          onInput={(event) => onChange(updateInterval(week, dayIndex, index, { close: event.currentTarget.value }))}
                        />
                        <button
                          type="button"
                          class="icon-button icon-button-sm"
                          aria-label={`Remove ${name} ${interval.open}–${interval.close}`}
                          onClick={() => onChange(removeInterval(week, dayIndex, index))}
                        >
                          <XIcon size={15} />
                        </button>
                      </div>
                      {error && (
                        <p class="field-error" role="alert">
                          {error}
                        </p>
                      )}
                    </div>
                  );
                })
              ) : (
                <span class="week-closed">Closed</span>
              )}
            </div>
            <div class="week-actions">
              {day.open && (
                <button type="button" class="link-button" onClick={() => onChange(addInterval(week, dayIndex))}>
                  <PlusIcon size={13} /> Hours
                </button>
              )}
              {dayIndex === 1 && (
                <button type="button" class="link-button" onClick={() => onChange(copyDay(week, 1, [2, 3, 4, 5]))}>
                  Copy to Tue–Fri
                </button>
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}
