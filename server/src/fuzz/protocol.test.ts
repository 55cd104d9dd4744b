import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { z } from 'zod';
import * as protocol from '@beckon/sdk/protocol';
import { hostileJson, hostileString, pollutingKeys, unstorableText } from './corpus.js';

/**
 * Property tests over every zod schema the protocol exports (the server validates every body, query and
 * socket payload with them): whatever arrives, a schema answers with a result, never an exception, and
 * what it lets through is plain JSON data that cannot carry a prototype.
 */

const schemas = Object.entries(protocol).filter((entry): entry is [string, z.ZodType] => {
  const value = entry[1] as unknown;
  return (
    typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
});

/** The keys of an object schema, so generated objects reach its fields instead of failing at the top. */
const keysOf = (schema: z.ZodType): string[] => {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
};

/** Inputs for one schema: hostile JSON, any JSON, and objects with the schema's own keys holding hostile values. */
const inputsFor = (schema: z.ZodType) => {
  const keys = [...keysOf(schema), ...pollutingKeys];
  return fc.oneof(
    hostileJson(),
    fc.jsonValue(),
    fc.dictionary(fc.constantFrom(...keys), fc.oneof(hostileString(), hostileJson(), fc.jsonValue()), {
      maxKeys: keys.length,
    }),
    // A JSON text with an own `__proto__` key, as a request body would parse.
    fc
      .constantFrom(...keys)
      .map(
        (key) =>
          JSON.parse(
            `{"__proto__":{"polluted":true},${JSON.stringify(key)}:{"__proto__":{"polluted":true}}}`,
          ) as unknown,
      ),
  );
};

/** Every plain object in a value has Object.prototype (or none): an input key never became a prototype. */
function plainData(value: unknown, seen = new Set<unknown>()): boolean {
  if (value === null || typeof value !== 'object')
    return typeof value !== 'function' && typeof value !== 'symbol' && typeof value !== 'bigint';
  if (seen.has(value)) return false; // a cycle would not serialise
  seen.add(value);
  if (Array.isArray(value)) return value.every((item) => plainData(item, seen));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => plainData(item, seen));
}

const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : value && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, item]) => [key, ...strings(item)])
      : [];

// NUL, or a surrogate that is not half of a pair.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what PostgreSQL cannot store.
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('protocol schemas under hostile input', () => {
  it('finds the schemas to test', () => {
    expect(schemas.length).toBeGreaterThan(60);
  });

  it.each(schemas)('%s answers any input with a result, and lets through only plain JSON data', (_name, schema) => {
    fc.assert(
      fc.property(inputsFor(schema), (input) => {
        const result = schema.safeParse(input);
        if (!result.success) {
          expect(result.error.issues.length).toBeGreaterThan(0);
          for (const issue of result.error.issues)
            expect(issue.path.every((part) => typeof part === 'string' || typeof part === 'number')).toBe(true);
          return;
        }
        expect(plainData(result.data)).toBe(true);
        expect(strings(result.data).filter((text) => unstorable.test(text))).toEqual([]);
      }),
      { seed: 14, numRuns: 60 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('knows what unstorable text looks like', () => {
    for (const text of unstorableText) expect(unstorable.test(text), JSON.stringify(text)).toBe(true);
    for (const text of ['plain', '🙂', 'é', '\u202e']) expect(unstorable.test(text), text).toBe(false);
  });
});
