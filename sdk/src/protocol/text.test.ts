import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as protocol from './index.js';
import { isWellFormedText, text, wellFormedText } from './text.js';

type Def = Record<string, unknown> & { type: string };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const isSchema = (value: unknown): value is z.ZodType => typeof value === 'object' && value !== null && '_zod' in value;

/** Fixed-grammar ASCII formats (`z.uuid()`, `z.iso.datetime()`, …): they refuse NUL and surrogates outright. */
const asciiFormats = new Set(['uuid', 'guid', 'datetime', 'date', 'time']);

/** Opaque parts of server-built answers, never parsed from a client: `export.path` → why. */
const opaque = new Map([
  ['errorBodySchema.error.details', 'the server’s own error details'],
  ['visitorExportSchema.tables.*.[].*', 'rows the server exports from its own tables'],
  ['publicSiteConfigSchema.triggers.[]', 'public triggers the server built from validated rules'],
  ['leadTimelineEntrySchema.data.*', 'a touch’s details as the server stored them'],
  ['leadDetailSchema.timeline.[].data.*', 'a touch’s details as the server stored them'],
  ['leadEventDataSchema.touch.data.*', 'a touch’s details as the server stored them'],
  ['leadSummarySchema.lastTouch.data.*', 'the latest touch’s details as the server stored them'],
  ['leadDetailSchema.lead.lastTouch.data.*', 'the latest touch’s details as the server stored them'],
  ['leadAnswerSchema.lead.lastTouch.data.*', 'the latest touch’s details as the server stored them'],
  ['leadListSchema.leads.[].lastTouch.data.*', 'the latest touch’s details as the server stored them'],
  ['leadEventDataSchema.lead.lastTouch.data.*', 'the latest touch’s details as the server stored them'],
  ['leadTemperatureEventDataSchema.lead.lastTouch.data.*', 'the latest touch’s details as the server stored them'],
  ['personDetailSchema.lead.lastTouch.data.*', 'the latest touch’s details as the server stored them'],
  ['webhookDeliverySchema.payload.data.*', 'the event data the server sent (each event’s is in webhookEvents)'],
  ['webhookDeliveryListSchema.deliveries.[].payload.data.*', 'the event data the server sent'],
]);

const appliesPolicy = (def: Def) =>
  ((def.checks ?? []) as { _zod: { def: { check: string; tx?: unknown } } }[]).some(
    (check) => check._zod.def.check === 'overwrite' && check._zod.def.tx === wellFormedText,
  );

/** Every path under `schema` where a string can come out of a successful parse without the text policy. */
function bypasses(schema: z.ZodType, path: string, found: string[], seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return found;
  seen.add(schema);
  const def = defOf(schema);
  const walk = (child: unknown, at: string) => isSchema(child) && bypasses(child, at, found, seen);
  switch (def.type) {
    case 'string':
      if (!appliesPolicy(def) && !asciiFormats.has(def.format as string)) found.push(path);
      break;
    case 'object':
      for (const [key, child] of Object.entries(def.shape as Record<string, unknown>)) walk(child, `${path}.${key}`);
      walk(def.catchall, `${path}.*`);
      break;
    case 'array':
      walk(def.element, `${path}.[]`);
      break;
    case 'set':
      walk(def.valueType, `${path}.[]`);
      break;
    case 'tuple':
      (def.items as unknown[]).forEach((item, i) => walk(item, `${path}.${i}`));
      walk(def.rest, `${path}.[]`);
      break;
    case 'union':
      (def.options as unknown[]).forEach((option) => walk(option, path));
      break;
    case 'intersection':
      walk(def.left, path);
      walk(def.right, path);
      break;
    case 'record':
    case 'map':
      walk(def.keyType, `${path}.<key>`);
      walk(def.valueType, `${path}.*`);
      break;
    case 'pipe':
      walk(def.in, path);
      walk(def.out, path);
      break;
    case 'lazy':
      walk((def.getter as () => unknown)(), path);
      break;
    case 'optional':
    case 'nullable':
    case 'nonoptional':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'success':
    case 'promise':
      walk(def.innerType, path);
      break;
    case 'any':
    case 'unknown':
    case 'custom':
    case 'template_literal':
      if (!opaque.has(path)) found.push(`${path} (${def.type})`);
      break;
  }
  return found;
}

const schemas = Object.entries(protocol).filter((entry): entry is [string, z.ZodType] => isSchema(entry[1]));

describe('the text policy', () => {
  it('is applied by every string field of every schema the protocol exports', () => {
    expect(schemas.length).toBeGreaterThan(100);
    const found = schemas.flatMap(([name, schema]) => bypasses(schema, name, []));
    // A string here reaches PostgreSQL as the client sent it: build it with `text()` (or `z.uuid()`, `z.iso.*`).
    expect(found).toEqual([]);
  });

  it('finds a string field that skips it, wherever it hides', async () => {
    const { z } = await import('zod');
    const hidden = z.object({
      ok: text().max(5),
      list: z.array(z.object({ deep: z.string().optional() })),
      keys: z.record(z.string(), text()),
      piped: z
        .string()
        .transform((s) => s.length)
        .pipe(z.number()),
      id: z.uuid(),
    });
    expect(bypasses(hidden, 'hidden', [])).toEqual(['hidden.list.[].deep', 'hidden.keys.<key>', 'hidden.piped']);
  });

  it('replaces NUL and lone surrogates with U+FFFD, keeps pairs and the length', () => {
    const hostile = 'a\u0000b\uD800c\uDC00d\uD83D\uDE00e\uDBFF';
    const clean = wellFormedText(hostile);
    expect(clean).toBe('a\uFFFDb\uFFFDc\uFFFDd\uD83D\uDE00e\uFFFD');
    expect(clean).toHaveLength(hostile.length);
    expect(isWellFormedText(hostile)).toBe(false);
    expect(isWellFormedText(clean)).toBe(true);
    const plain = 'Café 😀 — ok';
    expect(wellFormedText(plain)).toBe(plain);
  });

  it('gives the same answer in engines without String.prototype.isWellFormed (browsers before 2023)', () => {
    const proto = String.prototype as { isWellFormed?: unknown; toWellFormed?: unknown };
    const saved = Object.getOwnPropertyDescriptors(proto);
    const hostile = 'a\u0000b\uD800c\uDC00d\uD83D\uDE00e\uDBFF';
    const expected = wellFormedText(hostile);
    try {
      delete proto.isWellFormed;
      delete proto.toWellFormed;
      expect(wellFormedText(hostile)).toBe(expected);
      expect([isWellFormedText(hostile), isWellFormedText(expected)]).toEqual([false, true]);
    } finally {
      Object.defineProperty(proto, 'isWellFormed', saved.isWellFormed!);
      Object.defineProperty(proto, 'toWellFormed', saved.toWellFormed!);
    }
  });

  it('runs before the other checks, so limits, trimming and formats see clean text', () => {
    expect(text().max(3).parse('\u0000\uD800x')).toBe('\uFFFD\uFFFDx');
    expect(text().trim().min(1).parse(' \u0000 ')).toBe('\uFFFD');
    expect(
      text()
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the NUL is the point of the test.
        .regex(/^[^\u0000]+$/)
        .safeParse('a\u0000').success,
    ).toBe(true);
  });
});

/** Every string inside a parsed value (keys included). */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((item) => stringsIn(item, out));
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) out.push(key), stringsIn(item, out);
  return out;
}

describe('hostile text through real request bodies', () => {
  const poison = ['\u0000', '\uD800', '\uDFFF', 'x\uD83D', '\uDE00x', 'a\u0000\uD800b'];
  const bodies: [string, z.ZodType, (bad: string) => unknown][] = [
    [
      'collect',
      protocol.collectBatchSchema,
      (bad) => ({
        site: 'demo',
        visitorId: 'visitor_0001',
        sessionId: 'session_0001',
        events: [
          { id: 'event_00001', type: 'pageview', ts: 1, url: `https://a.example/${bad}`, title: bad, referrer: bad },
          {
            id: 'event_00002',
            type: 'track',
            ts: 1,
            url: 'https://a.example/',
            name: `n${bad}`,
            props: { [`k${bad}`]: bad },
          },
          {
            id: 'event_00003',
            type: 'identify',
            ts: 1,
            url: 'https://a.example/',
            traits: { userId: bad, name: bad, phone: bad },
          },
          { id: 'event_00004', type: 'click', ts: 1, url: 'https://a.example/', name: `n${bad}`, href: bad },
          { id: 'event_00005', type: 'form', ts: 1, url: 'https://a.example/', action: 'start', form: bad },
        ],
        context: { landingUrl: bad, referrer: bad, utm: { source: bad, campaign: bad }, clickIds: { gclid: bad } },
      }),
    ],
    [
      'feedback',
      protocol.feedbackRequestSchema,
      (bad) => ({ site: 'demo', kind: 'message', text: `t${bad}`, email: 'a@b.example', url: bad }),
    ],
    [
      'callback',
      protocol.callbackRequestSchema,
      (bad) => ({ site: 'demo', phone: '+14155550100', name: bad, note: bad, url: bad }),
    ],
    ['chat message', protocol.sendMessageSchema, (bad) => ({ clientId: 'client_00001', text: `hi${bad}` })],
  ];

  it.each(bodies)('%s: a successful parse never carries NUL or a lone surrogate', (_name, schema, body) => {
    for (const bad of poison) {
      const result = schema.safeParse(body(bad));
      expect(result.error?.issues ?? []).toEqual([]);
      const strings = stringsIn(result.data);
      expect(strings.filter((s) => !isWellFormedText(s))).toEqual([]);
      expect(strings.some((s) => s.includes('\uFFFD'))).toBe(true);
    }
  });
});
