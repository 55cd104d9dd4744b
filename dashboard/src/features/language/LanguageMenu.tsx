import { dashboardLocales, localeNames, type DashboardLocale } from '../../lib/i18n';
import { t } from './i18n';

/**
 * The agent's language picker. `onChange` saves the choice (the signed-in app stores it on the agent,
 * so it follows them to every browser) and switches the dashboard.
 */
export function LanguageMenu({ value, onChange }: { value: DashboardLocale; onChange(locale: DashboardLocale): void }) {
  return (
    <label class="language-menu" title={t('hint')}>
      <span class="language-menu-label">{t('label')}</span>
      <select
        value={value}
        onChange={(event) => onChange((event.currentTarget as HTMLSelectElement).value as DashboardLocale)}
        aria-label={t('label')}
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
