import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

type Results = Awaited<ReturnType<AxeBuilder['analyze']>>;
type Violation = Results['violations'][number];

/** The WCAG 2.0 A and AA rules: what the a11y spec holds every screen to. */
export const wcagTags = ['wcag2a', 'wcag2aa'];
const blocking = new Set(['serious', 'critical']);

/**
 * A violation that has been reported to the folder that owns it and is tolerated until fixed there:
 * only `rule` on elements whose axe target contains one of `targets` — the rule stays on for every
 * other element, so a new instance still fails. Each entry says what is wrong and who owns the fix.
 */
export interface KnownViolation {
  rule: string;
  targets: string[];
  owner: string;
  why: string;
}

/**
 * Runs axe on `page` (or only inside the `include` selector; axe looks into open shadow roots) and
 * fails on any serious or critical WCAG 2 A/AA violation that is not a listed known one, naming rule,
 * impact, help and elements. Minor and moderate violations, the known ones that were found, and known
 * ones that are no longer found (fixed: drop the entry) are annotations; the full results are attached.
 */
export async function expectNoSeriousViolations(
  page: Page,
  testInfo: TestInfo,
  name: string,
  options: { include?: string; known?: KnownViolation[] } = {},
) {
  let builder = new AxeBuilder({ page }).withTags(wcagTags);
  if (options.include) builder = builder.include(options.include);
  const results = await builder.analyze();
  await testInfo.attach(`axe-${name}.json`, {
    body: JSON.stringify(results, null, 2),
    contentType: 'application/json',
  });

  const known = options.known ?? [];
  const matched = new Set<KnownViolation>();
  const isKnown = (rule: string, target: unknown) =>
    known.find((entry) => entry.rule === rule && entry.targets.some((part) => JSON.stringify(target).includes(part)));

  const serious: Violation[] = [];
  const tolerated: Violation[] = [];
  for (const violation of results.violations) {
    if (!blocking.has(violation.impact ?? '')) continue;
    const nodes = violation.nodes.filter((node) => {
      const entry = isKnown(violation.id, node.target);
      if (entry) matched.add(entry);
      return !entry;
    });
    if (nodes.length) serious.push({ ...violation, nodes });
    if (nodes.length < violation.nodes.length)
      tolerated.push({ ...violation, nodes: violation.nodes.filter((node) => !nodes.includes(node)) });
  }
  const other = results.violations.filter((violation) => !blocking.has(violation.impact ?? ''));

  if (other.length)
    testInfo.annotations.push({ type: `axe ${name}: minor/moderate`, description: listViolations(other) });
  if (tolerated.length)
    testInfo.annotations.push({ type: `axe ${name}: known, reported`, description: listViolations(tolerated) });
  for (const entry of known) {
    if (!matched.has(entry)) {
      testInfo.annotations.push({
        type: `axe ${name}: known violation no longer found`,
        description: `${entry.rule} on ${entry.targets.join(', ')} (${entry.owner}) — fixed? Remove it from the known list.`,
      });
    }
  }
  // One line per offending element, so a failure reads as a list rather than a deep diff.
  expect(lines(serious), `serious or critical WCAG 2 A/AA violations on ${name}:\n${listViolations(serious)}`).toEqual(
    [],
  );
  // A scan that checked nothing would pass vacuously.
  expect(results.passes.length, `axe checked nothing on ${name}`).toBeGreaterThan(0);
}

function lines(violations: Violation[]): string[] {
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.impact}) ${JSON.stringify(node.target)}`),
  );
}

function listViolations(violations: Violation[]): string {
  return violations
    .map(
      (violation) =>
        `- ${violation.id} (${violation.impact}): ${violation.help}\n` +
        violation.nodes
          .map((node) => `    ${JSON.stringify(node.target)}: ${node.failureSummary?.replace(/\s+/g, ' ')}`)
          .join('\n'),
    )
    .join('\n');
}
