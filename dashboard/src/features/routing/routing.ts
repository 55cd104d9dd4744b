import type { RoutingConditions, RoutingRuleInput, RoutingStrategy, Temperature } from '@beckon/sdk/protocol';
import { t } from './i18n';

/** Catalogue keys of each strategy's name (`t(strategyLabels[s])`). */
export const strategyLabels = { round_robin: 'roundRobin', least_busy: 'leastBusy' } as const satisfies Record<
  RoutingStrategy,
  string
>;
/** Catalogue keys of each temperature's name. */
export const temperatureLabels = { hot: 'hot', warm: 'warm', cold: 'cold' } as const satisfies Record<
  Temperature,
  string
>;

/** One line per rule for the list: "Hot · /pricing* · German · chats". */
export function describeConditions(conditions: RoutingConditions): string {
  const parts: string[] = [];
  if (conditions.temperatures?.length)
    parts.push(conditions.temperatures.map((temperature) => t(temperatureLabels[temperature])).join(t('or')));
  if (conditions.page) parts.push(t('condPage', { page: conditions.page }));
  if (conditions.source?.kind === 'paid') parts.push(t('condPaid'));
  if (conditions.source?.kind === 'utm_source') parts.push(t('condUtm', { value: conditions.source.value }));
  if (conditions.source?.kind === 'referrer') parts.push(t('condFrom', { value: conditions.source.value }));
  if (conditions.languages?.length) parts.push(t('condLanguage', { languages: conditions.languages.join(', ') }));
  if (conditions.channel) parts.push(conditions.channel === 'chat' ? t('condChatsOnly') : t('condCallbacksOnly'));
  return parts.length ? parts.join(' · ') : t('condEverything');
}

/** `de, pt-BR` → `['de', 'pt-br']`. */
export const parseLanguages = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean);

/** Field errors keyed like the server's (`rules.0.name`), before anything is sent. */
export function validateRouting(rules: RoutingRuleInput[], unansweredChatSeconds: number): Record<string, string> {
  const errors: Record<string, string> = {};
  rules.forEach((rule, index) => {
    if (!rule.name.trim()) errors[`rules.${index}.name`] = t('errRuleName');
    const target = rule.target as { kind: string; teamId?: string; agentId?: string };
    if (!(target.teamId || target.agentId)) errors[`rules.${index}.target`] = t('errTarget');
    const page = rule.conditions?.page;
    if (page !== undefined && !page.trim()) errors[`rules.${index}.conditions.page`] = t('errPage');
    for (const language of rule.conditions?.languages ?? []) {
      if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/.test(language))
        errors[`rules.${index}.conditions.languages`] = t('errLanguage', { language });
    }
    const source = rule.conditions?.source;
    if (source && source.kind !== 'paid' && !source.value.trim())
      errors[`rules.${index}.conditions.source.value`] = t('errSource');
  });
  if (!Number.isInteger(unansweredChatSeconds) || unansweredChatSeconds < 0 || unansweredChatSeconds > 86_400)
    errors.unansweredChatSeconds = t('errUnanswered');

  return errors;
}
