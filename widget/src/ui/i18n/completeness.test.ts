// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { widgetLanguages } from '@beckon/sdk/protocol';
import { describe, expect, it } from 'vitest';
import { formsEn } from '../forms-i18n/en.js';
import { en } from './en.js';
import { enCards } from './en-cards.js';

/**
 * Every language has every word of every view: no key missing or left over, the same `{placeholders}`
 * as English, and a form for each plural category the language uses for whole numbers.
 */
const src = fileURLToPath(new URL('../../', import.meta.url));
const others = widgetLanguages.filter((language) => language !== 'en');

type Tree = { [key: string]: unknown };
const isPlural = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'other' in value;

/** `path → value` for every string, array or plural of a strings object. */
function leaves(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !isPlural(value)) {
      for (const [inner, leaf] of leaves(value as Tree, path)) out.set(inner, leaf);
    } else out.set(path, value);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const texts = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value : isPlural(value) ? Object.values(value) : [];

/** The plural categories `language` picks for 0–200. */
const categories = (language: string) =>
  [...new Set(Array.from({ length: 201 }, (_, n) => new Intl.PluralRules(language).select(n)))].sort();

function check(language: string, english: Tree, theirs: Tree) {
  const want = leaves(english);
  const have = leaves(theirs);
  expect(
    [...have.keys()].filter((key) => !want.has(key)),
    `${language}: keys English does not have`,
  ).toEqual([]);
  expect(
    [...want.keys()].filter((key) => !have.has(key)),
    `${language}: missing keys`,
  ).toEqual([]);
  for (const [key, value] of want) {
    const theirsValue = have.get(key);
    const englishPlaceholders = placeholders(texts(value)[0] ?? '');
    for (const text of texts(theirsValue))
      expect(placeholders(text), `${language}.${key}: placeholders`).toEqual(englishPlaceholders);
    expect(
      texts(theirsValue).every((text) => text.trim().length > 0),
      `${language}.${key}: empty`,
    ).toBe(true);
    if (Array.isArray(value)) expect((theirsValue as unknown[]).length, `${language}.${key}: items`).toBe(value.length);
    if (isPlural(value)) {
      expect(isPlural(theirsValue), `${language}.${key}: a plural`).toBe(true);
      for (const category of categories(language))
        expect(
          (theirsValue as Record<string, string>)[category],
          `${language}.${key}: plural "${category}"`,
        ).toBeTruthy();
    }
  }
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return /i18n$/.test(name) ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('widget translations', () => {
  it.each(others)('%s has every chat word, with the placeholders and plural forms it needs', async (language) => {
    check(language, { ...en, ...enCards }, (await import(`./${language}.ts`)).strings);
  });

  it.each(others)(
    '%s has every callback and feedback word, with the placeholders and plural forms it needs',
    async (language) => {
      check(language, formsEn, (await import(`../forms-i18n/form-words-${language}.ts`)).strings);
    },
  );

  it('has no word that no view uses', () => {
    const code = sources(src).join('\n');
    const unused = [...leaves(en).keys(), ...leaves(formsEn).keys()].filter((path) => {
      const last = path.split('.').at(-1)!;
      return !new RegExp(`\\.${last}\\b|['"]${last}['"]`).test(code);
    });
    expect(unused).toEqual([]);
  });

  it('loads every protocol language, each as its own module', () => {
    const chat = readFileSync(join(src, 'ui/i18n/index.ts'), 'utf8');
    const forms = readFileSync(join(src, 'ui/forms-i18n/index.ts'), 'utf8');
    for (const language of others) {
      expect(chat).toContain(`${language}: () => import('./${language}.js')`);
      expect(forms).toContain(`${language}: () => import('./form-words-${language}.js')`);
    }
  });
});
