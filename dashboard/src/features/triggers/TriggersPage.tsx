import { useState } from 'preact/hooks';
import type { Site, Trigger, TriggerAction, TriggerConditions, WidgetLanguage } from '@beckon/sdk/protocol';
import { maxTriggersPerSite } from '@beckon/sdk/protocol/constants';
import { ApiError, api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Dialog } from '../../components/Dialog';
import { Field, describedBy } from '../../components/Field';
import { PencilIcon, PlusIcon, TrashIcon } from '../../components/Icons';
import { EmptyState, PageHeader, Spinner } from '../../components/PageHeader';
import {
  actionLabels,
  describeConditions,
  describeFrequency,
  draftToInput,
  emptyDraft,
  triggerToDraft,
  validateDraft,
  type TriggerDraft,
} from './describe';
import { useSiteList } from '../sites';
import { LanguageTabs } from '../../components/LanguageTabs';
import { languageNames, siteLanguages } from '../../lib/site-languages';
import { t } from './i18n';
import './triggers.css';

/** Proactive triggers: if every condition holds → the widget opens the chat, a callback offer or the NPS question. */
export function TriggersPage({ site }: { site: Site }) {
  const { data: triggers, error, reload: load, change } = useSiteList(site.id, api.listTriggers);
  const [editing, setEditing] = useState<Trigger | null>(null);

  const toggle = (trigger: Trigger) => {
    const { id: _id, createdAt: _c, updatedAt: _u, ...input } = trigger;
    return change(() => api.updateTrigger(site.id, trigger.id, { ...input, enabled: !trigger.enabled }));
  };
  const remove = async (trigger: Trigger) => {
    if (confirm(t('deleteConfirm', { name: trigger.name }))) await change(() => api.deleteTrigger(site.id, trigger.id));
  };

  const [descriptionBefore, descriptionAfter] = t('description', { site: '\u0000' }).split('\u0000');
  return (
    <div class="page">
      <PageHeader
        title={t('title')}
        description={
          <>
            {descriptionBefore}
            <strong>{site.name}</strong>
            {descriptionAfter}
          </>
        }
      />
      {error && <Alert>{error}</Alert>}
      <div class="stack-lg">
        <section class="card card-flush" aria-labelledby="triggers-title">
          <div class="card-header triggers-card-header">
            <h2 class="card-title" id="triggers-title">
              {t('title')}
            </h2>
            {triggers && (
              <span class="muted">{t('countOfMax', { count: triggers.length, max: maxTriggersPerSite })}</span>
            )}
          </div>
          {triggers === null ? (
            <Spinner />
          ) : triggers.length === 0 ? (
            <EmptyState title={t('noTriggers')}>{t('noTriggersHint')}</EmptyState>
          ) : (
            <div class="table-wrap">
              <table class="table triggers-table">
                <thead>
                  <tr>
                    <th scope="col">{t('trigger')}</th>
                    <th scope="col">{t('thenWord')}</th>
                    <th scope="col">{t('cap')}</th>
                    <th scope="col">{t('status')}</th>
                    <th scope="col">
                      <span class="sr-only">{t('actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {triggers.map((trigger) => (
                    <tr key={trigger.id}>
                      <td>
                        <div class="trigger-name">{trigger.name}</div>
                        <div class="muted">{describeConditions(trigger.conditions)}</div>
                      </td>
                      <td>
                        <div>{t(actionLabels[trigger.action.kind])}</div>
                        {trigger.action.message && <div class="muted trigger-message">“{trigger.action.message}”</div>}
                        {trigger.action.messages && Object.keys(trigger.action.messages).length > 0 && (
                          <div class="muted trigger-languages">
                            {t('alsoIn', {
                              languages: siteLanguages
                                .filter((code) => trigger.action.messages?.[code])
                                .map((code) => languageNames[code])
                                .join(', '),
                            })}
                          </div>
                        )}
                      </td>
                      <td class="nowrap">{describeFrequency(trigger.frequency)}</td>
                      <td>
                        <label class="switch" title={trigger.enabled ? t('on') : t('off')}>
                          <input
                            type="checkbox"
                            role="switch"
                            aria-label={t('enabledLabel', { name: trigger.name })}
                            checked={trigger.enabled}
                            onChange={() => void toggle(trigger)}
                          />
                          <span class="switch-track" aria-hidden="true" />
                        </label>
                      </td>
                      <td class="actions">
                        <div class="trigger-actions">
                          <button
                            type="button"
                            class="btn btn-ghost btn-sm"
                            aria-label={t('editNamed', { name: trigger.name })}
                            title={t('edit')}
                            onClick={() => setEditing(trigger)}
                          >
                            <PencilIcon size={16} />
                          </button>
                          <button
                            type="button"
                            class="btn btn-ghost btn-sm"
                            aria-label={t('deleteNamed', { name: trigger.name })}
                            title={t('delete')}
                            onClick={() => void remove(trigger)}
                          >
                            <TrashIcon size={16} />
                          </button>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {triggers && triggers.length < maxTriggersPerSite && (
          <TriggerForm site={site} idPrefix="new-trigger" onSaved={() => void load()} />
        )}
      </div>
      <Dialog
        open={editing !== null}
        title={t('editTrigger')}
        description={editing ? t('quoted', { name: editing.name }) : undefined}
        onClose={() => setEditing(null)}
        size="lg"
      >
        {editing && (
          <TriggerForm
            key={editing.id}
            site={site}
            trigger={editing}
            idPrefix="edit-trigger"
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              void load();
            }}
          />
        )}
      </Dialog>
    </div>
  );
}

/** An on/off condition card; its value (when on) and that value's error below the switch. */
function ConditionRow(props: {
  id: string;
  title: string;
  description: string;
  on: boolean;
  error?: string | undefined;
  onToggle: (on: boolean) => void;
  children?: preact.ComponentChildren;
}) {
  const { id, title, description, on, error, onToggle, children } = props;
  return (
    <div class={`trigger-condition${on && error ? ' has-error' : ''}`}>
      <label class="switch-row">
        <span class="switch">
          <input
            id={id}
            type="checkbox"
            role="switch"
            checked={on}
            onChange={(e) => onToggle(e.currentTarget.checked)}
          />
          <span class="switch-track" aria-hidden="true" />
        </span>
        <span class="switch-text">
          <span class="switch-title">{title}</span>
          <span class="switch-description">{description}</span>
        </span>
      </label>
      {on && children && (
        <div class="trigger-condition-value">
          {children}
          {error && (
            <p class="field-error" id={`${id}-error`} role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * The trigger editor: empty for a new trigger, prefilled from `trigger` when editing one. Errors found
 * before sending, and those the server answers, show beside their fields. `idPrefix` keeps ids unique
 * while the new-trigger form and the edit dialog are both on the page.
 */
function TriggerForm(props: {
  site: Site;
  trigger?: Trigger;
  idPrefix: string;
  onSaved: (trigger: Trigger) => void;
  onCancel?: () => void;
}) {
  const { site, trigger, idPrefix } = props;
  const [draft, setDraft] = useState<TriggerDraft>(() => (trigger ? triggerToDraft(trigger) : emptyDraft()));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const set = (patch: Partial<TriggerDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const id = (name: string) => `${idPrefix}-${name}`;
  // The language whose message the form edits (the site's default language edits `message`).
  const defaultLanguage = site.widget.language;
  const [language, setLanguage] = useState<WidgetLanguage>(defaultLanguage);
  const editingDefault = language === defaultLanguage;
  const messageError = editingDefault
    ? (fields['action.message'] ?? fields.action)
    : fields[`action.messages.${language}`];
  /** What a visitor reading `language` sees: its own line, else the default one. */
  const shownMessage = (editingDefault ? draft.message : draft.messages[language] || draft.message).trim();
  const number = (value: string, fallback: number) =>
    Number.isFinite(Number(value)) && value !== '' ? Math.round(Number(value)) : fallback;
  /** `aria-invalid` and the error's id for a condition's value input. */
  const invalid = (key: keyof TriggerConditions, row: string) =>
    fields[`conditions.${key}`] ? { 'aria-invalid': true as const, 'aria-describedby': `${id(row)}-error` } : {};

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const local = validateDraft(draft);
    setFields(local);
    if (Object.keys(local).length > 0) {
      // A too long line in another language: show its tab, where the field says what is wrong.
      const wrong = Object.keys(local)
        .find((path) => path.startsWith('action.messages.'))
        ?.split('.')[2] as WidgetLanguage | undefined;
      if (wrong && !local['action.message']) setLanguage(wrong);
      setError(t('fixFields'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const input = draftToInput(draft);
      const saved = trigger
        ? await api.updateTrigger(site.id, trigger.id, input)
        : await api.createTrigger(site.id, input);
      if (!trigger) setDraft(emptyDraft());
      props.onSaved(saved);
    } catch (caught) {
      if (caught instanceof ApiError) setFields(caught.fieldErrors());
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class={trigger ? 'stack' : 'card stack'}
      onSubmit={submit}
      noValidate
      aria-labelledby={trigger ? undefined : id('title')}
    >
      {!trigger && (
        <h2 class="card-title" id={id('title')}>
          {t('newTrigger')}
        </h2>
      )}
      {error && <Alert>{error}</Alert>}
      <Field id={id('name')} label={t('name')} error={fields.name}>
        <input
          id={id('name')}
          class="input"
          maxLength={80}
          placeholder={t('namePlaceholder')}
          value={draft.name}
          {...describedBy(id('name'), fields.name, false)}
          onInput={(e) => set({ name: e.currentTarget.value })}
          required
        />
      </Field>
      <fieldset class="trigger-fieldset" aria-describedby={fields.conditions ? id('conditions-error') : undefined}>
        <legend class="field-label">{t('whenAll')}</legend>
        {fields.conditions && (
          <p class="field-error" id={id('conditions-error')} role="alert">
            {fields.conditions}
          </p>
        )}
        <div class="trigger-conditions">
          <ConditionRow
            id={id('exit')}
            title={t('exitIntent')}
            description={t('exitIntentHint')}
            on={draft.exitIntent}
            onToggle={(on) => set({ exitIntent: on })}
          />
          <ConditionRow
            id={id('time')}
            title={t('timeOnPage')}
            description={t('timeOnPageHint')}
            on={draft.timeOnPage.on}
            error={fields['conditions.timeOnPage']}
            onToggle={(on) => set({ timeOnPage: { ...draft.timeOnPage, on } })}
          >
            <div class="input-suffix">
              <input
                aria-label={t('secondsOnPage')}
                class="input"
                type="number"
                min={1}
                max={3600}
                value={draft.timeOnPage.value}
                {...invalid('timeOnPage', 'time')}
                onInput={(e) => set({ timeOnPage: { on: true, value: number(e.currentTarget.value, 20) } })}
              />
              <span>{t('secondsShort')}</span>
            </div>
          </ConditionRow>
          <ConditionRow
            id={id('scroll')}
            title={t('scrollDepth')}
            description={t('scrollDepthHint')}
            on={draft.scroll.on}
            error={fields['conditions.scroll']}
            onToggle={(on) => set({ scroll: { ...draft.scroll, on } })}
          >
            <div class="input-suffix">
              <input
                aria-label={t('scrollPercent')}
                class="input"
                type="number"
                min={1}
                max={100}
                value={draft.scroll.value}
                {...invalid('scroll', 'scroll')}
                onInput={(e) => set({ scroll: { on: true, value: number(e.currentTarget.value, 50) } })}
              />
              <span>%</span>
            </div>
          </ConditionRow>
          <ConditionRow
            id={id('url')}
            title={t('page')}
            description={t('pageHint')}
            on={draft.url.on}
            error={fields['conditions.url']}
            onToggle={(on) => set({ url: { ...draft.url, on } })}
          >
            <input
              aria-label={t('pagePattern')}
              class="input mono"
              maxLength={200}
              value={draft.url.value}
              {...invalid('url', 'url')}
              onInput={(e) => set({ url: { on: true, value: e.currentTarget.value } })}
            />
          </ConditionRow>
          <ConditionRow
            id={id('visit')}
            title={t('visitNumber')}
            description={t('visitNumberHint')}
            on={draft.visit.on}
            error={fields['conditions.visit']}
            onToggle={(on) => set({ visit: { ...draft.visit, on } })}
          >
            <div class="input-suffix">
              <span>≥</span>
              <input
                aria-label={t('visitAtLeast')}
                class="input"
                type="number"
                min={1}
                max={1000}
                value={draft.visit.value}
                {...invalid('visit', 'visit')}
                onInput={(e) => set({ visit: { on: true, value: number(e.currentTarget.value, 2) } })}
              />
            </div>
          </ConditionRow>
          <ConditionRow
            id={id('utm')}
            title={t('utmSource')}
            description={t('utmSourceHint')}
            on={draft.utmSource.on}
            error={fields['conditions.utmSource']}
            onToggle={(on) => set({ utmSource: { ...draft.utmSource, on } })}
          >
            <input
              aria-label={t('utmSource')}
              class="input mono"
              maxLength={100}
              placeholder="newsletter"
              value={draft.utmSource.value}
              {...invalid('utmSource', 'utm')}
              onInput={(e) => set({ utmSource: { on: true, value: e.currentTarget.value } })}
            />
          </ConditionRow>
          <ConditionRow
            id={id('hot')}
            title={t('becameHot')}
            description={t('becameHotHint')}
            on={draft.hot}
            onToggle={(on) => set({ hot: on })}
          />
        </div>
      </fieldset>
      <div class="form-grid-2">
        <Field id={id('action')} label={t('thenWord')}>
          <select
            id={id('action')}
            class="input select"
            value={draft.action}
            onChange={(e) => set({ action: e.currentTarget.value as TriggerAction['kind'] })}
          >
            {(Object.keys(actionLabels) as TriggerAction['kind'][]).map((kind) => (
              <option key={kind} value={kind}>
                {t(actionLabels[kind])}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('frequency')} label={t('atMost')} error={fields['frequency.days']}>
          <div class="trigger-frequency">
            <select
              id={id('frequency')}
              class="input select"
              value={draft.frequency}
              onChange={(e) => set({ frequency: e.currentTarget.value as 'session' | 'days' })}
            >
              <option value="session">{t('oncePerSession')}</option>
              <option value="days">{t('oncePerN')}</option>
            </select>
            {draft.frequency === 'days' && (
              <div class="input-suffix">
                <input
                  aria-label={t('daysBetween')}
                  class="input"
                  type="number"
                  min={1}
                  max={365}
                  value={draft.days}
                  {...describedBy(id('frequency'), fields['frequency.days'], false)}
                  onInput={(e) => set({ days: number(e.currentTarget.value, 7) })}
                />
                <span>{t('days')}</span>
              </div>
            )}
          </div>
        </Field>
      </div>
      <div class="trigger-message-editor">
        <LanguageTabs
          label={t('messageLanguage')}
          defaultLanguage={defaultLanguage}
          value={language}
          onChange={setLanguage}
          translated={(code) => Boolean(draft.messages[code]?.trim())}
        />
        <Field
          id={id('message')}
          label={
            draft.action === 'chat'
              ? t('greetingLabel')
              : draft.action === 'callback'
                ? t('callbackLineLabel')
                : t('npsLineLabel')
          }
          optional={draft.action === 'feedback' || !editingDefault}
          error={messageError}
        >
          <textarea
            key={`message-${language}`}
            id={id('message')}
            class="input textarea"
            rows={3}
            maxLength={400}
            value={editingDefault ? draft.message : (draft.messages[language] ?? '')}
            {...(editingDefault ? {} : { lang: language, placeholder: draft.message })}
            {...describedBy(id('message'), messageError, false)}
            onInput={(e) => {
              const value = e.currentTarget.value;
              set(editingDefault ? { message: value } : { messages: { ...draft.messages, [language]: value } });
            }}
          />
        </Field>
        {shownMessage && (
          <div class="trigger-preview" role="group" aria-label={t('messagePreview')}>
            <span class="trigger-preview-label">{t('visitorsSee', { language: languageNames[language] })}</span>
            <p lang={language}>{shownMessage}</p>
          </div>
        )}
      </div>
      {trigger ? (
        <div class="dialog-actions">
          <button type="button" class="btn btn-secondary" onClick={props.onCancel}>
            {t('cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('saving') : t('saveChanges')}
          </button>
        </div>
      ) : (
        <div>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            <PlusIcon size={16} /> {busy ? t('adding') : t('addTrigger')}
          </button>
        </div>
      )}
    </form>
  );
}
