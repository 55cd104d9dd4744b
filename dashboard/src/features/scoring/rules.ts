import type { ChannelSignal, RuleCondition, ScoringRule, ScoringSettings } from '@beckon/sdk/protocol';
import { currentLocale } from '../../lib/i18n';
import { t } from './i18n';

export type ConditionKind = RuleCondition['kind'];
type Key = Parameters<typeof t>[0];

const kindKeys = {
  page: 'kindPage',
  event: 'kindEvent',
  engagement: 'kindEngagement',
  source: 'kindSource',
  returning: 'kindReturning',
  identified: 'kindIdentified',
  signal: 'kindSignal',
  total: 'kindTotal',
  form: 'kindForm',
  event_prop: 'kindEventProp',
  device: 'kindDevice',
} as const;
export const conditionKinds = Object.keys(kindKeys) as ConditionKind[];
export const conditionKindLabel = (kind: ConditionKind) => t(kindKeys[kind]);

type Metric = Extract<RuleCondition, { kind: 'engagement' }>['metric'];
const metricKeys: Record<Metric, { label: Key; unit: Key }> = {
  time_on_page: { label: 'metricTimeOnPage', unit: 'unitSeconds' },
  scroll_depth: { label: 'metricScrollDepth', unit: 'unitPercent' },
  pages_per_session: { label: 'metricPagesPerSession', unit: 'unitPages' },
  time_on_site: { label: 'metricTimeOnSite', unit: 'unitSeconds' },
};
/** An engagement measure's name and unit in the dashboard's language. */
export const metricLabel = (metric: Metric) => ({
  label: t(metricKeys[metric].label),
  unit: t(metricKeys[metric].unit),
});

type SourceField = Extract<RuleCondition, { kind: 'source' }>['field'];
const sourceFieldKeys = {
  utm_source: 'fieldUtmSource',
  utm_medium: 'fieldUtmMedium',
  utm_campaign: 'fieldUtmCampaign',
  click_id: 'fieldClickId',
  referrer_domain: 'fieldReferrerDomain',
} as const satisfies Record<SourceField, Key>;
export const sourceFieldLabel = (field: SourceField) => t(sourceFieldKeys[field]);

const signalKeys = {
  callback_requested: 'signalCallbackRequested',
  chat_started: 'signalChatStarted',
  form_submitted: 'signalFormSubmitted',
  feedback_given: 'signalFeedbackGiven',
} as const satisfies Record<ChannelSignal, Key>;
export const signals = Object.keys(signalKeys) as ChannelSignal[];
/** A signal's name for people: the channel's label, or an offline signal's own name (`deal_won` → "deal won"). */
export const signalLabel = (signal: string) =>
  signal in signalKeys ? t(signalKeys[signal as ChannelSignal]) : signal.replace(/_/g, ' ');

type TotalMetric = Extract<RuleCondition, { kind: 'total' }>['metric'];
const totalMetricKeys: Record<TotalMetric, { label: Key; unit: Key }> = {
  time_on_site: { label: 'totalTimeOnSite', unit: 'unitSeconds' },
  pages: { label: 'totalPages', unit: 'unitPages' },
  visits: { label: 'totalVisits', unit: 'unitVisits' },
};
/** A total's name and unit in the dashboard's language. */
export const totalMetricLabel = (metric: TotalMetric) => ({
  label: t(totalMetricKeys[metric].label),
  unit: t(totalMetricKeys[metric].unit),
});
export const totalMetricsList = Object.keys(totalMetricKeys) as TotalMetric[];
export const comparisonLabels = { gte: '≥', lt: '<' } as const;

type Device = Extract<RuleCondition, { kind: 'device' }>['device'];
const deviceKeys = {
  mobile: 'deviceMobile',
  tablet: 'deviceTablet',
  desktop: 'deviceDesktop',
} as const satisfies Record<Device, Key>;
export const deviceLabel = (device: Device) => t(deviceKeys[device]);

type IdentifiedWith = Extract<RuleCondition, { kind: 'identified' }>['with'];
const identifiedKeys = { email: 'withEmail', phone: 'withPhone', any: 'inAnyWay' } as const satisfies Record<
  IdentifiedWith,
  Key
>;
const identifiedDescKeys = {
  email: 'descIdentifiedEmail',
  phone: 'descIdentifiedPhone',
  any: 'descIdentifiedAny',
} as const satisfies Record<IdentifiedWith, Key>;
export const identifiedWiths = Object.keys(identifiedKeys) as IdentifiedWith[];
export const identifiedLabel = (value: IdentifiedWith) => t(identifiedKeys[value]);

const lower = (text: string) => text.toLocaleLowerCase(currentLocale());

/** A fresh condition of a kind, with sensible starting values. */
export function conditionDefaults(kind: ConditionKind): RuleCondition {
  switch (kind) {
    case 'page':
      return { kind, pattern: '/pricing*' };
    case 'event':
      return { kind, name: 'add-to-cart' };
    case 'engagement':
      return { kind, metric: 'time_on_page', min: 60 };
    case 'source':
      return { kind, field: 'utm_medium', value: 'cpc' };
    case 'returning':
      return { kind };
    case 'identified':
      return { kind, with: 'email' };
    case 'signal':
      return { kind, signal: 'callback_requested' };
    case 'total':
      return { kind, metric: 'time_on_site', op: 'gte', value: 300 };
    case 'form':
      return { kind, pattern: 'contact*' };
    case 'event_prop':
      return { kind, name: 'plan-selected', prop: 'plan', value: 'pro' };
    case 'device':
      return { kind, device: 'mobile' };
  }
}

/** A short sentence for a condition: "page matches /pricing*", "scroll depth ≥ 75 % on *product*". */
export function describeCondition(condition: RuleCondition): string {
  switch (condition.kind) {
    case 'page':
      return t('descPage', { pattern: condition.pattern });
    case 'event':
      return t('descEvent', { name: condition.name });
    case 'engagement': {
      const { label, unit } = metricLabel(condition.metric);
      const params = { metric: lower(label), min: condition.min, unit };
      return condition.pattern
        ? t('descEngagementOn', { ...params, pattern: condition.pattern })
        : t('descEngagement', params);
    }
    case 'source':
      return condition.field === 'click_id' && !condition.value
        ? t('descPaidClick')
        : t('descSourceIs', { field: lower(sourceFieldLabel(condition.field)), value: condition.value ?? '' });
    case 'returning':
      return t('descReturning');
    case 'identified':
      return t(identifiedDescKeys[condition.with]);
    case 'signal':
      return condition.minAmount === undefined
        ? lower(signalLabel(condition.signal))
        : t('descSignalAmount', { signal: lower(signalLabel(condition.signal)), amount: condition.minAmount });
    case 'total': {
      const { label, unit } = totalMetricLabel(condition.metric);
      return t('descTotal', { metric: lower(label), op: comparisonLabels[condition.op], value: condition.value, unit });
    }
    case 'form':
      return condition.pattern ? t('descFormNamed', { pattern: condition.pattern }) : t('descFormAny');
    case 'event_prop':
      return t('descEventProp', { name: condition.name, prop: condition.prop, value: condition.value });
    case 'device':
      return t('descDevice', { device: deviceLabel(condition.device) });
  }
}

/** A rule id not used yet, from the label: "Demo page" → "demo-page", "demo-page-2", … */
export function newRuleId(label: string, rules: readonly ScoringRule[]): string {
  const base =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30) || 'rule';
  const taken = new Set(rules.map((rule) => rule.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The same checks as the server, keyed like its error paths (`rules.3.points`), to show at once. */
export function validateScoring(settings: ScoringSettings): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!(settings.halfLifeDays >= 0.1 && settings.halfLifeDays <= 365)) errors.halfLifeDays = t('errHalfLife');
  if (!Number.isInteger(settings.hot) || settings.hot < 1) errors.hot = 'A whole number above 0';
  if (!Number.isInteger(settings.warm) || settings.warm < 0) errors.warm = 'A whole number, 0 or more';
  else if (!errors.hot && settings.warm >= settings.hot) errors.warm = t('errWarmBelowHot');
  if (settings.thresholdMode === 'percent') {
    const hot = settings.hotPercent ?? NaN;
    const warm = settings.warmPercent ?? NaN;
    if (!Number.isInteger(hot) || hot < 1 || hot > 50) errors.hotPercent = t('errPercentHot');
    if (!Number.isInteger(warm) || warm < 2 || warm > 90 || (!errors.hotPercent && warm <= hot))
      errors.warmPercent = t('errPercentWarm');
  }
  settings.rules.forEach((rule, i) => {
    if (!rule.label.trim()) errors[`rules.${i}.label`] = t('errRuleName');
    if (!Number.isInteger(rule.points) || rule.points < -100 || rule.points > 100)
      errors[`rules.${i}.points`] = t('errPoints');
    if (rule.limit !== undefined && (!Number.isInteger(rule.limit) || rule.limit < 1))
      errors[`rules.${i}.limit`] = t('errLimit');
    const c = rule.condition;
    if (c.kind === 'page' && !c.pattern.trim()) errors[`rules.${i}.condition.pattern`] = t('errPattern');
    if (c.kind === 'page' && /\s/.test(c.pattern.trim())) errors[`rules.${i}.condition.pattern`] = t('errNoSpaces');
    if (c.kind === 'event' && !c.name.trim()) errors[`rules.${i}.condition.name`] = t('errEventName');
    if (c.kind === 'engagement' && (!Number.isInteger(c.min) || c.min < 1))
      errors[`rules.${i}.condition.min`] = t('errWholeNumber');
    if (c.kind === 'source' && c.field !== 'click_id' && !c.value?.trim())
      errors[`rules.${i}.condition.value`] = t('errValue');
    if (c.kind === 'total' && (!Number.isInteger(c.value) || c.value < 0))
      errors[`rules.${i}.condition.value`] = t('errWholeNumberOrZero');
    if (c.kind === 'event_prop' && !c.name.trim()) errors[`rules.${i}.condition.name`] = t('errEventName');
    if (c.kind === 'event_prop' && !c.prop.trim()) errors[`rules.${i}.condition.prop`] = t('errProperty');
    if (c.kind === 'form' && c.pattern && /\s/.test(c.pattern.trim()))
      errors[`rules.${i}.condition.pattern`] = t('errNoSpaces');
    if (c.kind === 'signal' && !/^[a-z][a-z0-9_]{1,39}$/.test(c.signal))
      errors[`rules.${i}.condition.signal`] = t('errSignalName');
  });
  return errors;
}
