import type {
  ApiKey,
  ApiKeyList,
  Callback,
  CreatedApiKey,
  LeadDetail,
  LeadList,
  Me,
  PersonDetail,
  Site,
  WebhookEndpoint,
} from '@beckon/sdk/protocol';
import { describe, expectTypeOf, it } from 'vitest';
import type { ApiClient, Result } from '.';

type IsAny<T> = 0 extends 1 & T ? true : false;
type IsUnknown<T> = unknown extends T ? (IsAny<T> extends true ? false : true) : false;
type Assignable<From, To> = [From] extends [To] ? true : false;
/** The calls whose answer type is `any` or `unknown`: a route hc could not read. */
type UntypedCalls = {
  [K in keyof ApiClient]: ApiClient[K] extends (...args: never[]) => Promise<unknown>
    ? IsAny<Result<K>> extends true
      ? K
      : IsUnknown<Result<K>> extends true
        ? K
        : never
    : never;
}[keyof ApiClient];

/**
 * Checked by `tsc -b` (test files are part of the dashboard project): the answers come from the server's routes,
 * and where a route's answer is in the protocol, the two agree. typed-client.test.ts shows a rename failing.
 */
describe('the typed client', () => {
  it('types every answer from its route', () => {
    expectTypeOf<UntypedCalls>().toBeNever();
    expectTypeOf<Result<'me'>>().toEqualTypeOf<Me>();
    expectTypeOf<Result<'getSite'>>().toEqualTypeOf<Site>();
    expectTypeOf<Result<'listApiKeys'>>().toEqualTypeOf<ApiKeyList>();
    expectTypeOf<Result<'createApiKey'>>().toEqualTypeOf<CreatedApiKey>();
    expectTypeOf<Result<'revokeApiKey'>>().toEqualTypeOf<ApiKey>();
    // A touch's and an audit line's `data` is JSON on the wire (narrower than the protocol's
    // `Record<string, unknown>`), so those answers are checked as assignable to the protocol's types.
    expectTypeOf<Assignable<Result<'listLeads'>, LeadList>>().toEqualTypeOf<true>();
    expectTypeOf<Assignable<Result<'getLead'>, LeadDetail>>().toEqualTypeOf<true>();
    expectTypeOf<Assignable<Result<'getPerson'>, PersonDetail>>().toEqualTypeOf<true>();
    expectTypeOf<Result<'takeCallback'>>().toEqualTypeOf<Callback>();
    expectTypeOf<Result<'listWebhooks'>>().toEqualTypeOf<WebhookEndpoint[]>();
    // Answers without a body are `undefined`, not a guess.
    expectTypeOf<Result<'deleteTrigger'>>().toEqualTypeOf<undefined>();
  });

  it('types request bodies from the schema the route parses', () => {
    type CreateSiteBody = Parameters<ApiClient['createSite']>[0];
    expectTypeOf<CreateSiteBody>().toHaveProperty('name');
    // @ts-expect-error a field no schema knows
    const wrong: CreateSiteBody = { name: 'Shop', colour: 'red' };
    void wrong;
  });
});
