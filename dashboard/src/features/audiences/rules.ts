import type { AudienceRule, PixelConfig } from '@beckon/sdk/protocol';
import { t } from './i18n';

export type RuleKind = AudienceRule['kind'];

/** Each rule kind with the catalogue key of its label. */
export const ruleKinds = [
  { kind: 'temperature', label: 'kindTemperature' },
  { kind: 'viewed_without_lead', label: 'kindViewedWithoutLead' },
  { kind: 'abandoned_form', label: 'kindAbandonedForm' },
  { kind: 'page_views', label: 'kindPageViews' },
] as const satisfies ReadonlyArray<{ kind: RuleKind; label: string }>;

/** A rule in words, as the audiences table shows it. */
export function describeRule(rule: AudienceRule): string {
  switch (rule.kind) {
    case 'temperature':
      return rule.temperature === 'hot' ? t('ruleHot') : t('ruleWarm');
    case 'viewed_without_lead':
      return t('ruleViewed', { pattern: rule.pattern });
    case 'abandoned_form':
      return t('ruleAbandoned', { form: rule.form });
    case 'page_views':
      return t('rulePageViews', { pattern: rule.pattern, count: rule.min });
  }
}

/** A sensible rule to start from when the kind changes in the form. */
export function defaultRule(kind: RuleKind): AudienceRule {
  switch (kind) {
    case 'temperature':
      return { kind, temperature: 'hot' };
    case 'viewed_without_lead':
      return { kind, pattern: '/pricing*' };
    case 'abandoned_form':
      return { kind, form: 'callback' };
    case 'page_views':
      return { kind, pattern: '/products/*', min: 3 };
  }
}

/** A segment slug from a name: `Hot leads` → `hot-leads` (what `bk_seg` carries). */
export const segmentFromName = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30);

/** Catalogue keys of each pixel kind's name (`t(pixelLabels[kind])`). */
export const pixelLabels = {
  meta: 'pixelMeta',
  gtag: 'pixelGtag',
  yandex: 'pixelYandex',
  vk: 'pixelVk',
  image: 'pixelImage',
} as const satisfies Record<PixelConfig['kind'], string>;

/** The one id a pixel is configured with, for display. */
export function pixelTarget(pixel: PixelConfig): string {
  switch (pixel.kind) {
    case 'meta':
    case 'vk':
      return pixel.pixelId;
    case 'gtag':
      return pixel.sendTo ?? t('pagesGtag');
    case 'yandex':
      return t('counter', { id: String(pixel.counterId) });

    case 'image':
      return pixel.url;
  }
}

/** Builds a pixel from the form's kind and text value (validation is the server's, with the shared schema). */
export function pixelFrom(kind: PixelConfig['kind'], value: string): PixelConfig {
  const text = value.trim();
  switch (kind) {
    case 'meta':
      return { kind, pixelId: text };
    case 'vk':
      return { kind, pixelId: text };
    case 'gtag':
      return text ? { kind, sendTo: text } : { kind };
    case 'yandex':
      return { kind, counterId: Number(text) };
    case 'image':
      return { kind, url: text };
  }
}
