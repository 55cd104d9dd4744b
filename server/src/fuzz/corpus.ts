import fc from 'fast-check';

/**
 * Hostile input for the fuzz suite: what browsers, scripts and attackers send that a schema did not
 * foresee. Everything here must get a 2xx or a JSON 4xx, never a 500, and a refused request stores nothing.
 */

/**
 * Text PostgreSQL cannot store (NUL) or that is not Unicode (lone surrogates): the protocol's text policy
 * turns them into U+FFFD before any route sees them.
 */
export const unstorableText = ['\u0000', 'a\u0000b', '\ud800', 'x\udfff', `${'y'.repeat(99)}\ud83d`, '\udc00\ud800'];

/** Strings every field and parameter must survive. */
export const hostileStrings = [
  '',
  ' ',
  '%00',
  '%zz',
  '%',
  '../../../etc/passwd',
  '..\\..\\windows',
  '-'.repeat(36),
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  '00000000-0000-0000-0000-000000000000',
  '{00000000-0000-4000-8000-000000000000}',
  '00000000000040008000000000000000',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '__proto__',
  'constructor',
  'prototype',
  "' or 1=1 --",
  '"; drop table leads; --',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  'http://[',
  '//',
  'http://a b/',
  'http://%zz/',
  'http://[::ffff:0:127.0.0.1]/',
  '\u202e\u200b\ufeff',
  '🙂'.repeat(40),
  'x'.repeat(5_000),
  'a'.repeat(70_000),
];

/**
 * Path segments as they travel (already percent-encoded): a malformed id in a path must answer 404,
 * whatever bytes it decodes to.
 */
export const hostilePathSegments = [
  '%00',
  'a%00b',
  '%ED%A0%80', // a surrogate encoded as UTF-8: not valid UTF-8
  '%F0%9F', // a cut UTF-8 sequence
  '%zz',
  '..%2F..%2Fetc%2Fpasswd',
  '-'.repeat(36), // passed the old /^[0-9a-f-]{36}$/ checks, then failed in PostgreSQL
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  '00000000000040008000000000000000', // a uuid PostgreSQL would read, in a spelling Beckon never hands out
  '1e309',
  '__proto__',
  '%3Cscript%3E',
  'x'.repeat(5_000),
  'msg_%00',
];

/** Numbers out of every range a schema has (JSON cannot say NaN; `1e309` parses to Infinity). */
export const hostileNumbers = [-1, 0, -0, 0.5, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.MIN_VALUE];

/** Keys that pollute prototypes when an object is merged carelessly. */
export const pollutingKeys = ['__proto__', 'constructor', 'prototype'];

/** Query keys the routes read, and some they do not. */
export const queryKeys = [
  'limit',
  'offset',
  'siteId',
  'status',
  'view',
  'token',
  'days',
  'kind',
  'q',
  'from',
  'to',
  'sort',
  'order',
  'assignee',
  'temperature',
  'type',
  'channel',
  '__proto__',
  'constructor[prototype][x]',
  'limit[]',
];

/** Body keys the protocol uses: random objects built from them reach past "not an object" into the fields. */
const bodyKeys = [
  'site',
  'visitorId',
  'sessionId',
  'events',
  'email',
  'password',
  'name',
  'url',
  'phone',
  'text',
  'score',
  'kind',
  'outcome',
  'status',
  'siteIds',
  'agentIds',
  'agentId',
  'assigneeId',
  'settings',
  'rules',
  'conditions',
  'action',
  'frequency',
  'enabled',
  'token',
  'state',
  'message',
  'note',
  'retryAt',
  'at',
  'consent',
  'analytics',
  'marketing',
  'points',
  'pixels',
  'template',
  'allowedOrigins',
  'widget',
  'shortcut',
  'role',
  'rotateSecret',
  'anonymous',
  'type',
  'id',
  'ts',
  'props',
  'title',
  'referrer',
  'formMs',
  'website',
  ...pollutingKeys,
];

/** A JSON string of any of the hostile strings (and, when enabled, unstorable text). */
export const hostileString = () => fc.constantFrom(...hostileStrings, ...unstorableText);

/** Any JSON value built from hostile leaves, a few levels deep. */
export const hostileJson = (): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      hostileString(),
      fc.constantFrom(...hostileNumbers),
      fc.constantFrom(null, true, false),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...bodyKeys), tie('value'), { maxKeys: 5 }),
    ),
  })).value;

/** Whole bodies as sent on the wire, broken in ways a JSON parser or a schema must refuse cleanly. */
export const hostileRawBodies = [
  '',
  'not json',
  '{',
  '{"a":',
  'null',
  'true',
  '0',
  '1e309',
  '"string"',
  '[]',
  '[{}]',
  '{}',
  '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
  `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
  `{"a":"${'a'.repeat(300 * 1024)}"}`,
];
