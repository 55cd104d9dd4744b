import type { WidgetSettings } from '@beckon/sdk/protocol';

/** The few words of the widget's own chrome; everything else comes from the site's texts. */
const close: Record<WidgetSettings['language'], string> = {
  en: 'Close',
  de: 'Schließen',
  fr: 'Fermer',
  es: 'Cerrar',
  ru: 'Закрыть',
  lv: 'Aizvērt',
  hy: 'Փակել',
  uz: 'Yopish',
  am: 'ዝጋ',
  si: 'වසන්න',
};

export const closeLabel = (language: string) => close[language as WidgetSettings['language']] ?? close.en;
