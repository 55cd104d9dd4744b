import type {
  Trigger,
  TriggerAction,
  TriggerConditions,
  TriggerFrequency,
  TriggerInput,
  WidgetLanguage,
} from '@beckon/sdk/protocol';
import { t } from './i18n';

/** "Exit intent · on *pricing* · after 20 s on the page": the conditions as one line, in a fixed order. */
export function describeConditions(conditions: TriggerConditions): string {
  const parts: string[] = [];
  if (conditions.exitIntent) parts.push(t('condExitIntent'));
  if (conditions.timeOnPage !== undefined) parts.push(t('condTimeOnPage', { seconds: conditions.timeOnPage }));
  if (conditions.scroll !== undefined) parts.push(t('condScroll', { percent: conditions.scroll }));
  if (conditions.url !== undefined) parts.push(t('condPage', { page: conditions.url }));
  if (conditions.visit !== undefined)
    parts.push(conditions.visit === 2 ? t('condReturning') : t('condVisit', { count: conditions.visit }));
  if (conditions.utmSource !== undefined) parts.push(t('condUtm', { value: conditions.utmSource }));
  if (conditions.hot) parts.push(t('condHot'));
  return parts.join(' · ');
}

/** Catalogue keys of each action's name (`t(actionLabels[kind])`). */
export const actionLabels = {
  chat: 'actionChat',
  callback: 'actionCallback',
  feedback: 'actionFeedback',
} as const satisfies Record<TriggerAction['kind'], string>;

export const describeFrequency = (frequency: TriggerFrequency) =>
  frequency.kind === 'session' ? t('oncePerSession') : t('oncePerDays', { count: frequency.days });

/** The editor's state: every condition with an on/off switch and its value, so turning one off keeps what was typed. */
export interface TriggerDraft {
  name: string;
  /** Kept as it is when editing: the table's switch turns a trigger on and off. */
  enabled: boolean;
  timeOnPage: { on: boolean; value: number };
  scroll: { on: boolean; value: number };
  exitIntent: boolean;
  url: { on: boolean; value: string };
  visit: { on: boolean; value: number };
  utmSource: { on: boolean; value: string };
  hot: boolean;
  action: TriggerAction['kind'];
  message: string;
  /** `message` in other widget languages ('' = that language shows `message`). */
  messages: Partial<Record<WidgetLanguage, string>>;
  frequency: 'session' | 'days';
  days: number;
}

export const emptyDraft = (): TriggerDraft => ({
  name: '',
  enabled: true,
  timeOnPage: { on: false, value: 20 },
  scroll: { on: false, value: 50 },
  exitIntent: true,
  url: { on: false, value: '*pricing*' },
  visit: { on: false, value: 2 },
  utmSource: { on: false, value: '' },
  hot: false,
  action: 'callback',
  message: t('defaultMessage'),
  messages: {},
  frequency: 'session',
  days: 7,
});

/** The request body for a draft; the server validates it again. */
export function draftToInput(draft: TriggerDraft): TriggerInput {
  const conditions: TriggerConditions = {};
  if (draft.timeOnPage.on) conditions.timeOnPage = draft.timeOnPage.value;
  if (draft.scroll.on) conditions.scroll = draft.scroll.value;
  if (draft.exitIntent) conditions.exitIntent = true;
  if (draft.url.on && draft.url.value.trim()) conditions.url = draft.url.value.trim();
  if (draft.visit.on) conditions.visit = draft.visit.value;
  if (draft.utmSource.on && draft.utmSource.value.trim()) conditions.utmSource = draft.utmSource.value.trim();
  if (draft.hot) conditions.hot = true;
  return {
    name: draft.name.trim(),
    enabled: draft.enabled,
    conditions,
    action: { kind: draft.action, message: draft.message.trim(), ...translatedMessages(draft.messages) },
    frequency: draft.frequency === 'session' ? { kind: 'session' } : { kind: 'days', days: draft.days },
  };
}

/** The translations worth sending: trimmed, without empty ones (none at all: no `messages`). */
function translatedMessages(messages: TriggerDraft['messages']): Pick<TriggerAction, 'messages'> {
  const given = Object.entries(messages)
    .map(([language, text]) => [language, (text ?? '').trim()] as const)
    .filter(([, text]) => text);
  return given.length ? { messages: Object.fromEntries(given) } : {};
}

export const hasCondition = (input: TriggerInput) => Object.keys(input.conditions).length > 0;

/** A stored trigger as the editor's draft: its conditions switched on, the others off with the new-trigger defaults. */
export function triggerToDraft(trigger: Trigger): TriggerDraft {
  const defaults = emptyDraft();
  const { conditions, action, frequency } = trigger;
  const value = <T>(current: T | undefined, fallback: { value: T }) =>
    current === undefined ? { on: false, value: fallback.value } : { on: true, value: current };
  return {
    name: trigger.name,
    enabled: trigger.enabled,
    timeOnPage: value(conditions.timeOnPage, defaults.timeOnPage),
    scroll: value(conditions.scroll, defaults.scroll),
    exitIntent: conditions.exitIntent === true,
    url: value(conditions.url, defaults.url),
    visit: value(conditions.visit, defaults.visit),
    utmSource: value(conditions.utmSource, defaults.utmSource),
    hot: conditions.hot === true,
    action: action.kind,
    message: action.message,
    messages: { ...action.messages },
    frequency: frequency.kind,
    days: frequency.kind === 'days' ? frequency.days : defaults.days,
  };
}

const whole = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;

/**
 * What is wrong with a draft, keyed like the server's validation details (`conditions.scroll`,
 * `action.message`), so local and server errors show in the same places. The server checks again.
 */
export function validateDraft(draft: TriggerDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors.name = t('errName');
  const anyOn =
    draft.exitIntent ||
    draft.hot ||
    [draft.timeOnPage, draft.scroll, draft.url, draft.visit, draft.utmSource].some((condition) => condition.on);
  if (!anyOn) errors.conditions = t('errConditions');
  if (draft.timeOnPage.on && !whole(draft.timeOnPage.value, 1, 3600))
    errors['conditions.timeOnPage'] = t('errTimeOnPage');
  if (draft.scroll.on && !whole(draft.scroll.value, 1, 100)) errors['conditions.scroll'] = t('errScroll');
  if (draft.url.on && !draft.url.value.trim()) errors['conditions.url'] = t('errUrl');
  if (draft.visit.on && !whole(draft.visit.value, 1, 1000)) errors['conditions.visit'] = t('errVisit');
  if (draft.utmSource.on && !draft.utmSource.value.trim()) errors['conditions.utmSource'] = t('errUtm');
  if (draft.action !== 'feedback' && !draft.message.trim())
    errors['action.message'] = draft.action === 'chat' ? t('errGreeting') : t('errLine');
  if (draft.frequency === 'days' && !whole(draft.days, 1, 365)) errors['frequency.days'] = t('errDays');
  for (const [language, text] of Object.entries(draft.messages)) {
    if ((text ?? '').trim().length > 400) errors[`action.messages.${language}`] = t('errTooLong');
  }

  return errors;
}
