import type { RuleCondition, ScoringRule, ScoringSettings } from '@beckon/sdk/protocol';

export type ConditionKind = RuleCondition['kind'];

export const conditionKinds: ReadonlyArray<{ kind: ConditionKind; label: string }> = [
  { kind: 'page', label: 'Page visited' },
  { kind: 'event', label: 'Event tracked' },
  { kind: 'engagement', label: 'Engagement' },
  { kind: 'source', label: 'Came from' },
  { kind: 'returning', label: 'Returning visitor' },
  { kind: 'identified', label: 'Identified' },
  { kind: 'signal', label: 'Channel or offline signal' },
  { kind: 'total', label: 'Totals across visits' },
  { kind: 'form', label: 'Form submitted' },
  { kind: 'event_prop', label: 'Event property' },
  { kind: 'device', label: 'Device' },
];

export const totalMetricLabels = {
  time_on_site: { label: 'Time on site, all visits', unit: 's' },
  pages: { label: 'Pages, all visits', unit: 'pages' },
  visits: { label: 'Visits', unit: 'visits' },
} as const;

export const comparisonLabels = { gte: '≥', lt: '<' } as const;

export const deviceLabels = { mobile: 'a phone', tablet: 'a tablet', desktop: 'a computer' } as const;

/** A signal's name for people: the channel's label, or an offline signal's own name (`deal_won` → "deal won"). */
export function signalLabel(signal: string): string {
  return (signalLabels as Record<string, string>)[signal] ?? signal.replace(/_/g, ' ');
}

export const metricLabels = {
  time_on_page: { label: 'Time on one page', unit: 's' },
  scroll_depth: { label: 'Scroll depth', unit: '%' },
  pages_per_session: { label: 'Pages in one visit', unit: 'pages' },
  time_on_site: { label: 'Time on site in one visit', unit: 's' },
} as const;

export const sourceFieldLabels = {
  utm_source: 'UTM source',
  utm_medium: 'UTM medium',
  utm_campaign: 'UTM campaign',
  click_id: 'Paid ad click (any click id)',
  referrer_domain: 'Referrer domain',
} as const;

export const signalLabels = {
  callback_requested: 'Callback requested',
  chat_started: 'Chat started',
  form_submitted: 'Form submitted',
  feedback_given: 'Feedback given',
} as const;

export const identifiedLabels = { email: 'with email', phone: 'with phone', any: 'in any way' } as const;

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
      return `page matches ${condition.pattern}`;
    case 'event':
      return `event “${condition.name}”`;
    case 'engagement': {
      const { label, unit } = metricLabels[condition.metric];
      return `${label.toLowerCase()} ≥ ${condition.min} ${unit}${condition.pattern ? ` on ${condition.pattern}` : ''}`;
    }
    case 'source':
      return condition.field === 'click_id' && !condition.value
        ? 'paid ad click'
        : `${sourceFieldLabels[condition.field].toLowerCase()} is ${condition.value ?? ''}`;
    case 'returning':
      return 'returning visitor';
    case 'identified':
      return `identified ${identifiedLabels[condition.with]}`;
    case 'signal':
      return `${signalLabel(condition.signal).toLowerCase()}${condition.minAmount !== undefined ? ` (amount ≥ ${condition.minAmount})` : ''}`;
    case 'total': {
      const { label, unit } = totalMetricLabels[condition.metric];
      return `${label.toLowerCase()} ${comparisonLabels[condition.op]} ${condition.value} ${unit}`;
    }
    case 'form':
      return condition.pattern ? `form “${condition.pattern}” submitted` : 'any form submitted';
    case 'event_prop':
      return `event “${condition.name}” with ${condition.prop} = ${condition.value}`;
    case 'device':
      return `visits on ${deviceLabels[condition.device]}`;
  }
}

/** A rule id not used yet, from the label: "Demo page" → "demo-page", "demo-page-2", … */
export function newRuleId(label: string, rules: readonly ScoringRule[]): string {
  const base = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 30) || 'rule';
  const taken = new Set(rules.map((rule) => rule.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The same checks as the server, keyed like its error paths (`rules.3.points`), to show at once. */
export function validateScoring(settings: ScoringSettings): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!(settings.halfLifeDays >= 0.1 && settings.halfLifeDays <= 365)) errors.halfLifeDays = 'Between 0.1 and 365 days';
  if (!Number.isInteger(settings.hot) || settings.hot < 1) errors.hot = 'A whole number above 0';
  if (!Number.isInteger(settings.warm) || settings.warm < 0) errors.warm = 'A whole number, 0 or more';
  else if (!errors.hot && settings.warm >= settings.hot) errors.warm = 'Warm must be below hot';
  settings.rules.forEach((rule, i) => {
    if (!rule.label.trim()) errors[`rules.${i}.label`] = 'Give the rule a name';
    if (!Number.isInteger(rule.points) || rule.points < -100 || rule.points > 100) errors[`rules.${i}.points`] = '−100 to 100';
    if (rule.limit !== undefined && (!Number.isInteger(rule.limit) || rule.limit < 1)) errors[`rules.${i}.limit`] = '1 or more, or empty';
    const c = rule.condition;
    if (c.kind === 'page' && !c.pattern.trim()) errors[`rules.${i}.condition.pattern`] = 'A path pattern, e.g. /pricing*';
    if (c.kind === 'page' && /\s/.test(c.pattern.trim())) errors[`rules.${i}.condition.pattern`] = 'No spaces';
    if (c.kind === 'event' && !c.name.trim()) errors[`rules.${i}.condition.name`] = 'The event name';
    if (c.kind === 'engagement' && (!Number.isInteger(c.min) || c.min < 1)) errors[`rules.${i}.condition.min`] = 'A whole number above 0';
    if (c.kind === 'source' && c.field !== 'click_id' && !c.value?.trim()) errors[`rules.${i}.condition.value`] = 'The value to match';
    if (c.kind === 'total' && (!Number.isInteger(c.value) || c.value < 0)) errors[`rules.${i}.condition.value`] = 'A whole number, 0 or more';
    if (c.kind === 'event_prop' && !c.name.trim()) errors[`rules.${i}.condition.name`] = 'The event name';
    if (c.kind === 'event_prop' && !c.prop.trim()) errors[`rules.${i}.condition.prop`] = 'The property';
    if (c.kind === 'form' && c.pattern && /\s/.test(c.pattern.trim())) errors[`rules.${i}.condition.pattern`] = 'No spaces';
    if (c.kind === 'signal' && !/^[a-z][a-z0-9_]{1,39}$/.test(c.signal)) errors[`rules.${i}.condition.signal`] = 'Lower-case letters, digits and _';
  });
  return errors;
}
