import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dashboardLocales } from './locales';
import { placeholdersOf, type Catalog } from './translate';

/**
 * Completeness of every catalogue folder (`<folder>/i18n/<locale>.ts`) in the dashboard: every language
 * has every English key and no other, with the same placeholders and plural shape, and every English key
 * is used by the code of the folder the catalogue serves (a key nobody uses is dead text to translate).
 */
const src = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const files = import.meta.glob<{ default: Catalog }>(
  ['../../**/i18n/*.ts', '!../../lib/i18n/**', '!../../**/*.test.ts'],
  {
    eager: true,
  },
);

interface Folder {
  /** The folder whose code uses the catalogue, relative to dashboard/src. */
  owner: string;
  locales: Map<string, Catalog>;
}

const folders = new Map<string, Folder>();
for (const [path, module] of Object.entries(files)) {
  const parts = path.split('/');
  const file = parts.pop()!;
  if (file === 'index.ts') continue;
  parts.pop(); // i18n
  const owner = relative(src, join(dirname(fileURLToPath(import.meta.url)), ...parts));
  const folder = folders.get(owner) ?? { owner, locales: new Map() };
  folder.locales.set(file.replace(/\.ts$/, ''), module.default);
  folders.set(owner, folder);
}

function sourcesOf(dir: string): string {
  let text = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'i18n') text += sourcesOf(path);
    } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) {
      text += readFileSync(path, 'utf8');
    }
  }
  return text;
}

describe('dashboard translations', () => {
  it.each([...folders.values()].map((folder) => [folder.owner || '.', folder] as const))(
    '%s: every language has every key, the same placeholders, and no key is unused',
    (_name, folder) => {
      const english = folder.locales.get('en');
      expect(english, 'en.ts is the source catalogue').toBeDefined();
      expect([...folder.locales.keys()].sort()).toEqual([...dashboardLocales].sort());
      const problems: string[] = [];
      for (const [locale, catalog] of folder.locales) {
        if (locale === 'en') continue;
        for (const key of Object.keys(english!)) {
          const message = catalog[key];
          if (message === undefined) {
            problems.push(`${locale}: missing "${key}"`);
            continue;
          }
          if (typeof message !== typeof english![key]) problems.push(`${locale}: "${key}" plural shape differs`);
          if (placeholdersOf(message).join() !== placeholdersOf(english![key]!).join()) {
            problems.push(
              `${locale}: "${key}" placeholders ${placeholdersOf(message)} ≠ ${placeholdersOf(english![key]!)}`,
            );
          }
          const forms = typeof message === 'string' ? [message] : Object.values(message);
          if (forms.some((form) => typeof form === 'string' && form.trim() === ''))
            problems.push(`${locale}: "${key}" is empty`);
        }
        for (const key of Object.keys(catalog)) {
          if (!(key in english!)) problems.push(`${locale}: extra key "${key}"`);
        }
      }
      const code = sourcesOf(join(src, folder.owner));
      for (const key of Object.keys(english!)) {
        if (!code.includes(`'${key}'`) && !code.includes(`"${key}"`))
          problems.push(`en: "${key}" is used nowhere in ${folder.owner}`);
      }
      expect(problems).toEqual([]);
    },
  );

  it('finds the catalogues, so a broken glob cannot pass silently', () => {
    expect(folders.has('components')).toBe(true);
  });
});
