import {
  acceptedLanguages,
  defaultConsentSettings,
  defaultFeedbackSettings,
  defaultWidgetSettings,
  pickLanguage,
  type PublicSiteConfig,
} from '@beckon/sdk/protocol';
import { describe, expect, it } from 'vitest';
import { localizeConfig, visitorLanguage } from './localize.js';

const config: PublicSiteConfig = {
  siteKey: 'demo',
  name: 'Demo',
  widget: { ...defaultWidgetSettings, translations: { lv: { chat: 'Sākt tērzēšanu' } } },
  feedback: defaultFeedbackSettings,
  callbackEnabled: true,
  consent: defaultConsentSettings,
  triggers: [
    {
      id: 't1',
      conditions: { timeOnPage: 5 },
      action: { kind: 'chat', message: 'Need help?', messages: { lv: 'Vai varam palīdzēt?' } },
      frequency: { kind: 'session' },
    },
  ],
};

describe('visitor language', () => {
  it('reads Accept-Language best first, by q, dropping q=0 and junk', () => {
    expect(acceptedLanguages('en;q=0.5, lv-LV, ru;q=0.8, de;q=0, <x>')).toEqual(['lv-LV', 'ru', 'en']);
    expect(acceptedLanguages(undefined)).toEqual([]);
  });

  it('matches exact tags and base languages, and passes over another script of a language', () => {
    expect(pickLanguage(['lv-LV'], 'en')).toBe('lv');
    expect(pickLanguage(['LV'], 'en')).toBe('lv');
    expect(pickLanguage(['uz-Latn-UZ'], 'en')).toBe('uz');
    expect(pickLanguage(['uz-Cyrl', 'ru-RU'], 'en')).toBe('ru');
    expect(pickLanguage(['sr-Cyrl', 'pt'], 'de')).toBe('de');
    expect(pickLanguage(['hy-AM', 'am'], 'en')).toBe('hy');
  });

  it('lets the page choose, then the browser on auto sites, then the site', () => {
    const fixed = config.widget;
    const auto = { ...fixed, auto: true };
    expect(visitorLanguage(fixed, undefined, 'lv')).toBe('en');
    expect(visitorLanguage(auto, undefined, 'lv')).toBe('lv');
    expect(visitorLanguage(fixed, 'si-LK', 'lv')).toBe('si');
    expect(visitorLanguage(fixed, 'auto', 'am-ET')).toBe('am');
    expect(visitorLanguage(auto, 'pt', 'hy')).toBe('hy'); // a tag we do not speak: as if not asked
  });
});

describe('localizeConfig', () => {
  it('gives each text in the language where translated, the default elsewhere, and leaves other translations out', () => {
    const lv = localizeConfig(config, 'lv');
    expect(lv.widget.language).toBe('lv');
    expect(lv.widget.texts.chat).toBe('Sākt tērzēšanu');
    expect(lv.widget.texts.title).toBe(defaultWidgetSettings.texts.title);
    expect(lv.widget.launcherLabel).toBe(defaultWidgetSettings.launcherLabel);
    expect(lv.triggers?.[0]?.action).toEqual({ kind: 'chat', message: 'Vai varam palīdzēt?' });
    expect(JSON.stringify(lv)).not.toMatch(/translations|messages/);
    const de = localizeConfig(config, 'de');
    expect(de.widget.texts.chat).toBe(defaultWidgetSettings.texts.chat);
    expect(de.triggers?.[0]?.action.message).toBe('Need help?');
  });
});
