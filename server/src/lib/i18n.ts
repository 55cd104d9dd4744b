/**
 * The server's few texts that people read as text (emails), in the reader's language. Catalogues live in
 * the feature that sends them (`features/team/emails/`), one file per language typed against English,
 * with a completeness test (same keys, same placeholders). Agents read the dashboard's languages; visitors
 * the widget's (`features/chat/visitor-emails/`).
 */
import { dashboardLanguages, widgetLanguages, type DashboardLanguage, type WidgetLanguage } from '@beckon/sdk/protocol';

export const agentLanguages = dashboardLanguages;
export { widgetLanguages };
export type AgentLanguage = DashboardLanguage;

export const isAgentLanguage = (value: unknown): value is AgentLanguage =>
  typeof value === 'string' && (agentLanguages as readonly string[]).includes(value);

/**
 * The language an agent chose in the dashboard, English when none (or an unknown value) is stored.
 * Read defensively: callers pass whatever agent row they hold (with or without the `language` column).
 */
export function agentLanguage(agent: object | null | undefined, fallback: AgentLanguage = 'en'): AgentLanguage {
  const language = (agent as { language?: string | null } | null | undefined)?.language;
  return isAgentLanguage(language) ? language : fallback;
}

export type EmailCatalog = Record<string, string>;
/** Another language's catalogue: every English key, nothing else. */
export type EmailTranslation<English extends EmailCatalog> = { [Key in keyof English]: string };

/** `{name}` placeholders filled; an unknown one stays visible rather than printing "undefined". */
export function fill(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/** The `{name}` placeholders of a text, sorted, for completeness tests. */
export const placeholdersOf = (text: string) =>
  [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!))].sort();

/** A date and time in UTC for an email, in the reader's language ("5 Dec 2026, 04:37 UTC"). */
export function formatUtc(language: AgentLanguage | WidgetLanguage, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date)} UTC`;
}

/** Makes the lookup of one feature's catalogues for agents: `texts(language)('subject', { name })`. */
export function emailTexts<English extends EmailCatalog>(
  catalogs: { en: English } & Record<Exclude<AgentLanguage, 'en'>, EmailTranslation<English>>,
) {
  return textsIn<AgentLanguage, English>(catalogs);
}

/** The same for emails to visitors, in the widget's languages. */
export function visitorEmailTexts<English extends EmailCatalog>(
  catalogs: { en: English } & Record<Exclude<WidgetLanguage, 'en'>, EmailTranslation<English>>,
) {
  return textsIn<WidgetLanguage, English>(catalogs);
}

function textsIn<Language extends string, English extends EmailCatalog>(
  catalogs: { en: English } & Record<Exclude<Language, 'en'>, EmailTranslation<English>>,
) {
  const byLanguage = catalogs as unknown as Record<Language, EmailTranslation<English>>;
  return (language: Language) => (key: keyof English & string, params?: Record<string, string | number>) =>
    fill(byLanguage[language]?.[key] ?? catalogs.en[key], params);
}

/**
 * Problems of a feature's catalogues (missing/extra keys, different placeholders, empty texts), for its test:
 * one catalogue for each of `languages` (the agents' by default; `widgetLanguages` for emails to visitors).
 */
export function catalogProblems(
  catalogs: Partial<Record<string, EmailCatalog>> & { en: EmailCatalog },
  languages: readonly string[] = agentLanguages,
): string[] {
  const problems: string[] = [];
  const english = catalogs.en;
  for (const language of languages) {
    const catalog = catalogs[language];
    if (!catalog) {
      problems.push(`${language}: no catalogue`);
      continue;
    }
    for (const key of Object.keys(english)) {
      const text = catalog[key];
      if (text === undefined) problems.push(`${language}: missing "${key}"`);
      else if (text.trim() === '') problems.push(`${language}: "${key}" is empty`);
      else if (placeholdersOf(text).join() !== placeholdersOf(english[key]!).join())
        problems.push(`${language}: "${key}" placeholders differ`);
    }
    for (const key of Object.keys(catalog)) if (!(key in english)) problems.push(`${language}: extra key "${key}"`);
  }
  return problems;
}
