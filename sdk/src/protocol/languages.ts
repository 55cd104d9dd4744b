import { z } from 'zod';

/** The widget's own languages (issue 20). Adding one: see the README's *Languages* section. */
export const widgetLanguages = ['en', 'de', 'fr', 'es', 'ru', 'lv', 'hy', 'uz', 'am', 'si'] as const;
export type WidgetLanguage = (typeof widgetLanguages)[number];

/**
 * A site's texts in more languages than its default: `{ lv: { title: '…' } }`. Keys are widget
 * languages only (bounded); every text is optional and falls back to the default one, which is written
 * in `widget.language`. Each settings group keeps its own translations beside its default texts.
 */
export const translationsOf = <T extends z.ZodRawShape>(shape: T) => z.partialRecord(z.enum(widgetLanguages), z.object(shape).partial());
