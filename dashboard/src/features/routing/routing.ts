import type { RoutingChoice, RoutingConditions, RoutingRuleInput, RoutingStrategy, Temperature } from '@beckon/sdk/protocol';

export const strategyLabels: Record<RoutingStrategy, string> = { round_robin: 'round-robin', least_busy: 'least busy' };

/** "Routed by “Hot leads → Sales” · least busy" — the same words in the inbox and the callback queue. */
export function describeRouting(choice: RoutingChoice | null | undefined): string | null {
  if (!choice) return null;
  if (choice.kind === 'rule') return `Routed by “${choice.ruleName}” · ${strategyLabels[choice.strategy]}`;
  if (choice.kind === 'sticky') return choice.ruleName ? `Routed by “${choice.ruleName}” · same agent as before` : 'Routed to the agent who handled this contact before';
  return `Routed by default · ${strategyLabels[choice.strategy]}`;
}

/** hot → 0, warm → 1, cold → 2, unknown → 3: the server's queue order, kept by live updates. */
export const temperatureRank = (temperature: Temperature | null | undefined) => (temperature === 'hot' ? 0 : temperature === 'warm' ? 1 : temperature === 'cold' ? 2 : 3);

/** One line per rule for the list: "Hot · /pricing* · German · chats". */
export function describeConditions(conditions: RoutingConditions): string {
  const parts: string[] = [];
  if (conditions.temperatures?.length) parts.push(conditions.temperatures.join(' or '));
  if (conditions.page) parts.push(`page ${conditions.page}`);
  if (conditions.source?.kind === 'paid') parts.push('paid ad click');
  if (conditions.source?.kind === 'utm_source') parts.push(`utm_source ${conditions.source.value}`);
  if (conditions.source?.kind === 'referrer') parts.push(`from ${conditions.source.value}`);
  if (conditions.languages?.length) parts.push(`language ${conditions.languages.join(', ')}`);
  if (conditions.channel) parts.push(conditions.channel === 'chat' ? 'chats only' : 'callbacks only');
  return parts.length ? parts.join(' · ') : 'Every chat and callback';
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
    if (!rule.name.trim()) errors[`rules.${index}.name`] = 'Give the rule a name';
    const target = rule.target as { kind: string; teamId?: string; agentId?: string };
    if (!(target.teamId || target.agentId)) errors[`rules.${index}.target`] = 'Choose a team or an agent';
    const page = rule.conditions?.page;
    if (page !== undefined && !page.trim()) errors[`rules.${index}.conditions.page`] = 'Enter a page pattern or remove it';
    for (const language of rule.conditions?.languages ?? []) {
      if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/.test(language)) errors[`rules.${index}.conditions.languages`] = `“${language}” is not a language like de or pt-br`;
    }
    const source = rule.conditions?.source;
    if (source && source.kind !== 'paid' && !source.value.trim()) errors[`rules.${index}.conditions.source.value`] = 'Enter the source';
  });
  if (!Number.isInteger(unansweredChatSeconds) || unansweredChatSeconds < 0 || unansweredChatSeconds > 86_400) errors.unansweredChatSeconds = 'Between 0 (off) and 86400 seconds';
  return errors;
}
