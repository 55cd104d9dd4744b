import {
  acceptedLanguages,
  matchLanguage,
  pickLanguage,
  type PublicSiteConfig,
  type WidgetLanguage,
} from '@beckon/sdk/protocol';

/**
 * The language a visitor's widget speaks: the tag the page asked for (`Beckon('language', tag)`) if we
 * speak it; otherwise, on an `auto` site or when the page asked for `auto`, the best of the browser's
 * languages (`Accept-Language`, which browsers send from `navigator.languages`); otherwise the site's.
 */
export function visitorLanguage(
  widget: PublicSiteConfig['widget'],
  requested: string | undefined,
  acceptLanguage: string | undefined,
): WidgetLanguage {
  const asked = requested && requested !== 'auto' ? matchLanguage(requested) : undefined;
  if (asked) return asked;
  if (requested === 'auto' || widget.auto) return pickLanguage(acceptedLanguages(acceptLanguage), widget.language);
  return widget.language;
}

/**
 * The public config in `language`: `widget.language` set to it and every text the site wrote (launcher,
 * panel, feedback questions, consent prompt, trigger lines) from that language's translation where given,
 * else the default. Other languages' translations are left out: the visitor downloads only their own.
 */
export function localizeConfig(config: PublicSiteConfig, language: WidgetLanguage): PublicSiteConfig {
  const { translations: widgetTranslations, ...widget } = config.widget;
  const { launcherLabel = widget.launcherLabel, ...texts } = widgetTranslations?.[language] ?? {};
  const { translations: feedbackTranslations, ...feedback } = config.feedback;
  const { translations: promptTranslations, ...prompt } = config.consent.prompt;
  return {
    ...config,
    widget: { ...widget, language, launcherLabel, texts: { ...widget.texts, ...texts } },
    feedback: { ...feedback, ...feedbackTranslations?.[language] },
    consent: {
      ...config.consent,
      prompt: { ...prompt, texts: { ...prompt.texts, ...promptTranslations?.[language] } },
    },
    ...(config.triggers
      ? {
          triggers: config.triggers.map(({ action: { messages, ...action }, ...trigger }) => ({
            ...trigger,
            action: { ...action, message: messages?.[language] ?? action.message },
          })),
        }
      : {}),
  };
}
