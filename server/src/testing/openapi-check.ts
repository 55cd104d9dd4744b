import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach } from 'vitest';
import { z } from 'zod';
import { type CheckedResponse, type SeenResponse, checkResponsesWith } from '../lib/openapi.js';

/**
 * "Every response the tests see is validated against its schema": the server's vitest setup turns this on
 * for every test file. Each JSON answer of a described route is checked against the JSON Schema the
 * document publishes for its status (the same zod → JSON Schema conversion, so `additionalProperties:
 * false` holds too: a field the description does not name fails); an undescribed success status fails as
 * well. The test that saw the answer fails in its `afterEach`, naming the route, status and mismatch.
 */
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
const compiled = new WeakMap<z.ZodType, ValidateFunction>();

const validatorOf = (schema: z.ZodType) => {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12' }));
    compiled.set(schema, validate);
  }
  return validate;
};

/** Answers seen during the current test, checked after it (never on the answer's own path: no test's timing changes). */
const seen: SeenResponse[] = [];

/** How one answer differs from its description; null when it matches. */
export function mismatchOf(response: CheckedResponse): string | null {
  const where = `${response.method} ${response.path} → ${response.status}`;
  if (response.schema === undefined) return `${where}: this status is not described`;
  if (response.schema === null) return `${where}: described without a body, answered JSON`;
  const validate = validatorOf(response.schema);
  if (validate(response.body)) return null;
  const errors = (validate.errors ?? [])
    .slice(0, 5)
    .map((error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
  return `${where}: ${errors.join('; ')}\n  body: ${JSON.stringify(response.body).slice(0, 600)}`;
}

export function checkResponse(response: SeenResponse): void {
  seen.push(response);
}

/** Reads the bodies and reports every mismatch. */
export async function mismatchesOf(responses: readonly SeenResponse[]): Promise<string[]> {
  const found: string[] = [];
  for (const { body, ...response } of responses) {
    const mismatch = mismatchOf({ ...response, body: await body });
    if (mismatch) found.push(mismatch);
  }
  return found;
}

checkResponsesWith(checkResponse);
afterEach(async () => {
  const found = await mismatchesOf(seen.splice(0));
  if (found.length > 0) throw new Error(`Responses that do not match their OpenAPI description:\n${found.join('\n')}`);
});
