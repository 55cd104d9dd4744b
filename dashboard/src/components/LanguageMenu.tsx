import { dashboardLocales, localeNames, type DashboardLocale } from '../lib/i18n';
import { t } from './i18n';
import './LanguageMenu.css';

/**
 * The agent's language picker. `onChange` saves the choice (the signed-in app stores it on the agent,
 * so it follows them to every browser) and switches the dashboard. `compact` (the top bar) shows only the
 * select; its accessible name stays.
 */
export function LanguageMenu({
  value,
  onChange,
  compact = false,
}: {
  value: DashboardLocale;
  onChange(locale: DashboardLocale): void;
  compact?: boolean;
}) {
  return (
    <label class={`language-menu${compact ? ' language-menu-compact' : ''}`} title={t('languageHint')}>
      <span class="language-menu-label">{t('languageLabel')}</span>
      <select
        value={value}
        onChange={(event) => onChange((event.currentTarget as HTMLSelectElement).value as DashboardLocale)}
        aria-label={t('languageLabel')}
      >
        {dashboardLocales.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {localeNames[locale]}
          </option>
        ))}
      </select>
    </label>
  );
}
