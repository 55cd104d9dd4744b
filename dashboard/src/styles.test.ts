/// <reference types="node" />
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('./', import.meta.url));

/**
 * Styles live beside their features (features/X/X.css, imported by the face) and shared components
 * (components/Name.css); the global stylesheet keeps tokens, base, layout and the shared building blocks.
 * The budget keeps page styles from drifting back into it.
 */
const globalBudgetLines = 1_600;

describe('stylesheets', () => {
  it(`keeps the global stylesheet under ${globalBudgetLines} lines`, () => {
    const lines = readFileSync(`${src}styles.css`, 'utf8').split('\n').length;
    expect(lines).toBeLessThanOrEqual(globalBudgetLines);
  });

  it("imports every feature's stylesheet from the feature", () => {
    const features = readdirSync(`${src}features/`, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const orphans = features.flatMap(({ name }) => {
      const dir = `${src}features/${name}/`;
      const files = readdirSync(dir);
      const code = files
        .filter((file) => /\.tsx?$/.test(file) && !file.includes('.test.'))
        .map((file) => readFileSync(dir + file, 'utf8'))
        .join('\n');
      return files
        .filter((file) => file.endsWith('.css') && !code.includes(`import './${file}';`))
        .map((file) => `features/${name}/${file}`);
    });
    expect(orphans).toEqual([]);
  });
});
