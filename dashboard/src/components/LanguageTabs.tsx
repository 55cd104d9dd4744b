import type { WidgetLanguage } from '@beckon/sdk/protocol';
import { languageNames, siteLanguages } from '../lib/site-languages';
import { t } from './i18n';
import './LanguageTabs.css';

interface LanguageTabsProps {
  /** What the texts are (the tab list's accessible name), e.g. "Greeting language". */
  label: string;
  /** The site's default language (`widget.language`): its tab edits the default texts. */
  defaultLanguage: WidgetLanguage;
  value: WidgetLanguage;
  onChange(language: WidgetLanguage): void;
  /** Whether a language has texts of its own (marked on its tab). */
  translated(language: WidgetLanguage): boolean;
}

/**
 * Which language a site's texts are edited in: one tab per widget language, the default first. The
 * default tab edits the texts every visitor falls back to; another tab edits that language's own texts
 * (an empty field uses the default). Arrow keys move between tabs, as in any tab list.
 */
export function LanguageTabs({ label, defaultLanguage, value, onChange, translated }: LanguageTabsProps) {
  const ordered = [defaultLanguage, ...siteLanguages.filter((code) => code !== defaultLanguage)];
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = ordered[(ordered.indexOf(value) + step + ordered.length) % ordered.length]!;
    onChange(next);
    const list = event.currentTarget as HTMLElement;
    requestAnimationFrame(() => list.querySelector<HTMLElement>(`[data-language="${next}"]`)?.focus());
  };
  return (
    <div class="language-tabs">
      <div class="language-tabs-list" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
        {ordered.map((code) => {
          const selected = code === value;
          const isDefault = code === defaultLanguage;
          const own = !isDefault && translated(code);
          return (
            <button
              key={code}
              type="button"
              role="tab"
              data-language={code}
              aria-selected={selected}
              tabIndex={selected ? 0 : -1}
              class={`language-tab${selected ? ' selected' : ''}`}
              onClick={() => onChange(code)}
            >
              <span lang={code}>{languageNames[code]}</span>
              {isDefault && <span class="language-tab-badge">{t('languageDefault')}</span>}
              {own && <span class="language-tab-dot" role="img" aria-label={t('languageTranslated')} />}
            </button>
          );
        })}
      </div>
      <p class="field-hint language-tabs-hint">
        {value === defaultLanguage
          ? t('languageDefaultHint')
          : t('languageOtherHint', { language: languageNames[defaultLanguage] })}
      </p>
    </div>
  );
}
