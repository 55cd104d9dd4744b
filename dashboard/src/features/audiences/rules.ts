import type { AudienceRule, PixelConfig } from '@beckon/sdk/protocol';

export type RuleKind = AudienceRule['kind'];

export const ruleKinds: ReadonlyArray<{ kind: RuleKind; label: string }> = [
  { kind: 'temperature', label: 'Became hot or warm' },
  { kind: 'viewed_without_lead', label: 'Viewed a page, sent no lead' },
  { kind: 'abandoned_form', label: 'Abandoned a form' },
  { kind: 'page_views', label: 'Viewed pages N times' },
];

/** A rule in words, as the audiences table shows it. */
export function describeRule(rule: AudienceRule): string {
  switch (rule.kind) {
    case 'temperature':
      return rule.temperature === 'hot' ? 'Lead temperature became hot' : 'Lead temperature became warm or hot';
    case 'viewed_without_lead':
      return `Viewed ${rule.pattern} and sent no lead (no chat, callback or form)`;
    case 'abandoned_form':
      return `Started the “${rule.form}” form and left without sending it`;
    case 'page_views':
      return `Viewed ${rule.pattern} at least ${rule.min} time${rule.min === 1 ? '' : 's'}`;
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

export const pixelLabels: Record<PixelConfig['kind'], string> = {
  meta: 'Meta Pixel',
  gtag: 'Google tag',
  yandex: 'Yandex Metrica',
  vk: 'VK pixel',
  image: 'Image pixel (URL)',
};

/** The one id a pixel is configured with, for display. */
export function pixelTarget(pixel: PixelConfig): string {
  switch (pixel.kind) {
    case 'meta':
    case 'vk':
      return pixel.pixelId;
    case 'gtag':
      return pixel.sendTo ?? 'the page’s gtag';
    case 'yandex':
      return `counter ${pixel.counterId}`;
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
