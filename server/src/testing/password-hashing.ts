import { setPasswordHashCost } from '../lib/crypto.js';

/**
 * Server test setup: password hashes made in the tests' own process (seeded admins, invited agents,
 * changed passwords) use scrypt's test cost, so each sign-in verifies in about 3 ms instead of 150 ms of
 * a core. It halved the auth and team test files' time. Server processes the tests start keep the
 * standard cost, and `lib/crypto.test.ts` checks the standard one.
 */
setPasswordHashCost('test');
