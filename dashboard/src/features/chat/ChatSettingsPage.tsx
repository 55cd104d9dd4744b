import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ChatSettings, Site, WidgetLanguage } from '@beckon/sdk/protocol';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Field, describedBy } from '../../components/Field';
import { CheckIcon, ClockIcon, PlusIcon, XIcon } from '../../components/Icons';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../session';
import { useNow } from '../../lib/hooks';
import { CannedResponses } from './CannedResponses';
import { LanguageTabs } from '../../components/LanguageTabs';
import { cleanTranslations, isTranslated, languageWithError, withTranslation } from '../../lib/site-languages';
import {
  DISPLAY_ORDER,
  addInterval,
  browserTimeZone,
  copyDay,
  dayName,
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
import {
  autoReplyPreview,
  chatTextKeys,
  fieldModeLabel,
  prechatFields,
  sameChatSettings,
  validateChatSettings,
} from './settings';
import { rich } from '../../lib/i18n/rich';
import { t } from './i18n';

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
  // The language whose greeting and auto-reply the form edits (the site's default edits the defaults).
  const defaultLanguage = site.widget.language;
  const [textLanguage, setTextLanguage] = useState<WidgetLanguage>(defaultLanguage);
  const editingDefault = textLanguage === defaultLanguage;
  const now = useNow(30_000);
  const zones = useMemo(() => timeZones(draft.businessHours?.timezone), [draft.businessHours?.timezone]);

  // The draft's hours follow the week editor; the week is the source of truth while editing.
  const current: ChatSettings = draft.businessHours
    ? { ...draft, businessHours: fromWeek(draft.businessHours.timezone, week) }
    : draft;
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
  useEffect(() => {
    reset(site.chat);
    setTextLanguage(site.widget.language);
  }, [site.id]);

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
  /** The greeting or auto-reply in the language being edited ('' = that language uses the default). */
  const textOf = (key: (typeof chatTextKeys)[number]) =>
    editingDefault ? draft[key] : (draft.translations?.[textLanguage]?.[key] ?? '');
  const setTextOf = (key: (typeof chatTextKeys)[number], value: string) =>
    editingDefault
      ? update({ [key]: value })
      : update({ translations: withTranslation(draft.translations, textLanguage, key, value) });
  const textProps = (key: (typeof chatTextKeys)[number]) =>
    editingDefault ? {} : { lang: textLanguage, placeholder: draft[key] };
  const shownAutoReply = (textOf('autoReply').trim() || draft.autoReply).trim();
  const editWeek = (next: Week) => {
    setWeek(next);
    setSaved(false);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (!dirty || busy) return;
    const chat: ChatSettings = {
      ...current,
      greeting: current.greeting.trim(),
      autoReply: current.autoReply.trim(),
      translations: cleanTranslations(current.translations, chatTextKeys, defaultLanguage),
    };
    const local = validateChatSettings(current, chat.businessHours ? week : null);
    setFields(local);
    if (Object.keys(local).length) {
      // A too long text in another language: show its tab, where the field says what is wrong.
      const language = languageWithError(local, 'chat.');
      if (language && !local['chat.greeting'] && !local['chat.autoReply']) setTextLanguage(language);
      setError(t('fixFields'));
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
        const errors = caught.fieldErrors();
        setFields(errors);
        const language = languageWithError(errors, 'chat.');
        if (language) setTextLanguage(language);
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
      <PageHeader title={t('title')} description={rich(t('description'), { site: <strong>{site.name}</strong> })} />
      <div class="page-grid">
        <div class="stack-lg">
          <form class="stack-lg" onSubmit={save} noValidate>
            {!isAdmin && <Alert tone="info">{t('onlyAdmins')}</Alert>}
            {error && <Alert>{error}</Alert>}

            <fieldset class="card" disabled={!isAdmin}>
              <legend class="card-title card-legend">{t('beforeChat')}</legend>
              <p class="card-description">{t('beforeChatHelp')}</p>
              <div class="prechat-rows">
                {prechatFields.map(({ key, labelKey }) => (
                  <div class="prechat-row" key={key}>
                    <span class="prechat-label" id={`prechat-${key}`}>
                      {t(labelKey)}
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
                          <span>{fieldModeLabel(mode)}</span>
                        </label>
                      ))}
                    </div>
                  </div>
                ))}
              </div>
            </fieldset>

            <fieldset class="card" disabled={!isAdmin}>
              <legend class="card-title card-legend">{t('availability')}</legend>
              <p class="card-description">
                {rich(hours ? t('availabilityHelpHours') : t('availabilityHelp'), {
                  offline: <em>{t('offlineMessage')}</em>,
                })}
              </p>
              <div class="choice-grid" role="radiogroup" aria-label={t('openingHours')}>
                <label class={`choice${!hours ? ' selected' : ''}`}>
                  <input
                    type="radio"
                    name="hours-mode"
                    checked={!hours}
                    onChange={() => update({ businessHours: null })}
                  />
                  <span class="choice-title">{t('alwaysOpen')}</span>
                  <span class="choice-text">{t('alwaysOpenText')}</span>
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
                  <span class="choice-title">{t('businessHours')}</span>
                  <span class="choice-text">{t('businessHoursText')}</span>
                </label>
              </div>

              {hours && (
                <div class="hours">
                  <div class="hours-top">
                    <Field id="chat-timezone" label={t('timeZone')} error={err('businessHours.timezone')}>
                      <select
                        id="chat-timezone"
                        class="input select"
                        value={hours.timezone}
                        onChange={(event) =>
                          update({ businessHours: { timezone: event.currentTarget.value, intervals: [] } })
                        }
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
                        {openNow ? t('openNow') : t('closedNow')}
                        {local && <span class="open-now-time">{t('localThere', { time: local.label })}</span>}
                      </span>
                    </p>
                  </div>

                  <WeekEditor week={week} onChange={editWeek} fields={fields} />
                  {err('businessHours.week') && (
                    <p class="field-error" role="alert">
                      {err('businessHours.week')}
                    </p>
                  )}
                  <p class="field-hint">
                    {t('hoursHint', { summary: describeWeek(hours), zone: hours.timezone.replaceAll('_', ' ') })}
                  </p>
                </div>
              )}
            </fieldset>

            <fieldset class="card" disabled={!isAdmin}>
              <legend class="card-title card-legend">{t('messages')}</legend>
              <LanguageTabs
                label={t('messagesLanguage')}
                defaultLanguage={defaultLanguage}
                value={textLanguage}
                onChange={setTextLanguage}
                translated={(language) => isTranslated(draft.translations, language)}
              />
              <Field
                id="chat-greeting"
                label={t('greeting')}
                hint={<Counter value={textOf('greeting')} max={400} />}
                error={err(editingDefault ? 'greeting' : `translations.${textLanguage}.greeting`)}
              >
                <textarea
                  key={`greeting-${textLanguage}`}
                  id="chat-greeting"
                  class="input textarea"
                  rows={2}
                  maxLength={400}
                  value={textOf('greeting')}
                  {...textProps('greeting')}
                  onInput={(event) => setTextOf('greeting', event.currentTarget.value)}
                  {...describedBy(
                    'chat-greeting',
                    err(editingDefault ? 'greeting' : `translations.${textLanguage}.greeting`),
                  )}
                />
              </Field>
              <Field
                id="chat-auto-reply"
                label={t('autoReply')}
                optional
                error={err(editingDefault ? 'autoReply' : `translations.${textLanguage}.autoReply`)}
                hint={rich(t('autoReplyHint'), { placeholder: <code>{'{minutes}'}</code> })}
              >
                <textarea
                  key={`auto-reply-${textLanguage}`}
                  id="chat-auto-reply"
                  class="input textarea"
                  rows={2}
                  maxLength={400}
                  value={textOf('autoReply')}
                  {...textProps('autoReply')}
                  onInput={(event) => setTextOf('autoReply', event.currentTarget.value)}
                  {...describedBy(
                    'chat-auto-reply',
                    err(editingDefault ? 'autoReply' : `translations.${textLanguage}.autoReply`),
                  )}
                />
              </Field>
              {shownAutoReply && (
                <div class="auto-reply-preview" role="group" aria-label={t('autoReplyPreview')}>
                  <span class="preview-label">{t('visitorsRead')}</span>
                  <p lang={textLanguage}>
                    {autoReplyPreview({
                      autoReply: shownAutoReply,
                      expectedReplyMinutes: draft.expectedReplyMinutes,
                    })}
                  </p>
                </div>
              )}
              <Field
                id="chat-minutes"
                label={t('expectedReply')}
                error={err('expectedReplyMinutes')}
                hint={t('expectedReplyHint')}
              >
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
                  <span>{t('minutes')}</span>
                </div>
              </Field>
            </fieldset>

            <fieldset class="card" disabled={!isAdmin}>
              <legend class="card-title card-legend">{t('privacy')}</legend>
              <label class="switch-row">
                <span class="switch">
                  <input
                    type="checkbox"
                    role="switch"
                    checked={draft.typingPreview}
                    onChange={(event) => update({ typingPreview: event.currentTarget.checked })}
                  />
                  <span class="switch-track" aria-hidden="true" />
                </span>
                <span class="switch-text">
                  <span class="switch-title">{t('typingPreview')}</span>
                  <span class="switch-description">{t('typingPreviewHelp')}</span>
                </span>
              </label>
            </fieldset>

            {isAdmin && (
              <div class={`save-bar${dirty || saved ? ' visible' : ''}`}>
                <span class="save-state" role="status">
                  {saved ? (
                    <>
                      <CheckIcon size={16} /> {t('savedNotice')}
                    </>
                  ) : dirty ? (
                    t('unsaved')
                  ) : (
                    ''
                  )}
                </span>
                <div class="save-actions">
                  <button
                    type="button"
                    class="btn btn-ghost"
                    onClick={() => reset(site.chat)}
                    disabled={!dirty || busy}
                  >
                    {t('discard')}
                  </button>
                  <button type="submit" class="btn btn-primary" disabled={!dirty || busy}>
                    {busy ? t('saving') : t('saveChanges')}
                  </button>
                </div>
              </div>
            )}
          </form>

          <CannedResponses site={site} />
        </div>

        <aside class="stack">
          <div class="card">
            <h2 class="card-title">{t('atAGlance')}</h2>
            <dl class="details">
              <div>
                <dt>{t('preChat')}</dt>
                <dd>
                  {prechatFields
                    .filter(({ key }) => site.chat.prechat[key] !== 'off')
                    .map(({ key, labelKey }) => `${t(labelKey)}${site.chat.prechat[key] === 'required' ? '*' : ''}`)
                    .join(', ') || t('none')}
                </dd>
              </div>
              <div>
                <dt>{t('hours')}</dt>
                <dd>
                  {site.chat.businessHours
                    ? isOpenAt(site.chat.businessHours, new Date(now))
                      ? t('openNow')
                      : t('closedNow')
                    : t('alwaysOpen')}
                </dd>
              </div>
              <div>
                <dt>{t('typingPreview')}</dt>
                <dd>{site.chat.typingPreview ? t('on') : t('off')}</dd>
              </div>
              <div>
                <dt>{t('replyWithin')}</dt>
                <dd>{t('replyMinutes', { minutes: site.chat.expectedReplyMinutes })}</dd>
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
function WeekEditor({
  week,
  onChange,
  fields,
}: {
  week: Week;
  onChange(week: Week): void;
  fields: Record<string, string>;
}) {
  return (
    <div class="week" role="group" aria-label={t('weeklyHours')}>
      {DISPLAY_ORDER.map((dayIndex) => {
        const day = week[dayIndex]!;
        const name = dayName(dayIndex);
        return (
          <div class={`week-row${day.open ? '' : ' closed'}`} key={dayIndex}>
            <label class="week-day">
              <input
                type="checkbox"
                checked={day.open}
                onChange={(event) => onChange(setDayOpen(week, dayIndex, event.currentTarget.checked))}
              />
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
                          aria-label={t('dayOpens', { day: name })}
                          aria-invalid={error ? true : undefined}
                          onInput={(event) =>
                            onChange(updateInterval(week, dayIndex, index, { open: event.currentTarget.value }))
                          }
                        />
                        <span class="week-dash" aria-hidden="true">
                          –
                        </span>
                        <input
                          class="input time-input"
                          type="time"
                          step={60}
                          value={interval.close}
                          aria-label={t('dayCloses', { day: name })}
                          aria-invalid={error ? true : undefined}
                          onInput={(event) =>
                            onChange(updateInterval(week, dayIndex, index, { close: event.currentTarget.value }))
                          }
                        />
                        <button
                          type="button"
                          class="icon-button icon-button-sm"
                          aria-label={t('removeInterval', { day: name, open: interval.open, close: interval.close })}
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
                <span class="week-closed">{t('closed')}</span>
              )}
            </div>
            <div class="week-actions">
              {day.open && (
                <button type="button" class="link-button" onClick={() => onChange(addInterval(week, dayIndex))}>
                  <PlusIcon size={13} /> {t('addHours')}
                </button>
              )}
              {dayIndex === 1 && (
                <button type="button" class="link-button" onClick={() => onChange(copyDay(week, 1, [2, 3, 4, 5]))}>
                  {t('copyToWeekdays', { from: dayName(2, 'short'), to: dayName(5, 'short') })}
                </button>
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}
