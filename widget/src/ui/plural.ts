/**
 * A text with one form per plural category (`Intl.PluralRules`): English needs `one` and `other`,
 * Latvian `zero`, `one` and `other`, Russian `one`, `few`, `many` and `other`. `other` is always there.
 */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export const plural = (forms: Plural): Plural => forms;

/** The form of `forms` that `language` uses for `n`, with `{key}` filled from `values` (numbers formatted in that locale). */
export function count(forms: Plural, key: string, n: number, language: string): string {
  let form = forms.other;
  let shown = String(n);
  try {
    form = forms[new Intl.PluralRules(language).select(n)] ?? forms.other;
    shown = new Intl.NumberFormat(language).format(n);
  } catch {
    // An engine without this locale: the `other` form with plain digits still reads.
  }
  return form.replace(`{${key}}`, shown);
}
