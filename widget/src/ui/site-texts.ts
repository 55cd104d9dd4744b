import type { WidgetLanguage, WidgetSettings } from '@beckon/sdk/protocol';

/**
 * The launcher's and the panel's texts in `language`, as the server sends them to a visitor of that
 * language: the site's translation where it gave one, else the default. For the dashboard's preview;
 * the widget itself gets its config localized by the server.
 */
export function widgetIn(widget: WidgetSettings, language: WidgetLanguage): WidgetSettings {
  const { launcherLabel = widget.launcherLabel, ...texts } = widget.translations?.[language] ?? {};
  return { ...widget, language, launcherLabel, texts: { ...widget.texts, ...texts } };
}
