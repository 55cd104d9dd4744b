import type { TriggerAction, TriggerConditions, TriggerFrequency, TriggerInput } from '@beckon/sdk/protocol';

/** "Exit intent · on *pricing* · after 20 s on the page": the conditions as one line, in a fixed order. */
export function describeConditions(conditions: TriggerConditions): string {
  const parts: string[] = [];
  if (conditions.exitIntent) parts.push('Exit intent');
  if (conditions.timeOnPage !== undefined) parts.push(`${conditions.timeOnPage} s on the page`);
  if (conditions.scroll !== undefined) parts.push(`scrolled ${conditions.scroll} %`);
  if (conditions.url !== undefined) parts.push(`page ${conditions.url}`);
  if (conditions.visit !== undefined) parts.push(conditions.visit === 2 ? 'returning visitor' : `visit ${conditions.visit} or later`);
  if (conditions.utmSource !== undefined) parts.push(`utm_source = ${conditions.utmSource}`);
  if (conditions.hot) parts.push('became hot');
  return parts.join(' · ');
}

export const actionLabels: Record<TriggerAction['kind'], string> = {
  chat: 'Open the chat',
  callback: 'Offer a callback',
  feedback: 'Ask for feedback (NPS)',
};

export const describeFrequency = (frequency: TriggerFrequency) =>
  frequency.kind === 'session' ? 'Once per session' : frequency.days === 1 ? 'Once a day' : `Once per ${frequency.days} days`;

/** The editor's state: every condition with an on/off switch and its value, so turning one off keeps what was typed. */
export interface TriggerDraft {
  name: string;
  timeOnPage: { on: boolean; value: number };
  scroll: { on: boolean; value: number };
  exitIntent: boolean;
  url: { on: boolean; value: string };
  visit: { on: boolean; value: number };
  utmSource: { on: boolean; value: string };
  hot: boolean;
  action: TriggerAction['kind'];
  message: string;
  frequency: 'session' | 'days';
  days: number;
}

export const emptyDraft = (): TriggerDraft => ({
  name: '',
  timeOnPage: { on: false, value: 20 },
  scroll: { on: false, value: 50 },
  exitIntent: true,
  url: { on: false, value: '*pricing*' },
  visit: { on: false, value: 2 },
  utmSource: { on: false, value: '' },
  hot: false,
  action: 'callback',
  message: 'Before you go — shall we call you back in a minute?',
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
    enabled: true,
    conditions,
    action: { kind: draft.action, message: draft.message.trim() },
    frequency: draft.frequency === 'session' ? { kind: 'session' } : { kind: 'days', days: draft.days },
  };
}

export const hasCondition = (input: TriggerInput) => Object.keys(input.conditions).length > 0;
