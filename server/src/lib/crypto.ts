import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/** Compares two secrets in constant time (lengths are not secret); any non-ASCII byte just fails to match. */
export function sameToken(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}

// scrypt is memory-hard (N·r·128 bytes = 32 MiB per hash), in node:crypto, so no native add-on to build.
const standardScrypt = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } satisfies ScryptOptions;
// The least that is still scrypt with the same code path (1 MiB, about 3 ms), for test suites only.
const testScrypt = { ...standardScrypt, N: 2 ** 10 } satisfies ScryptOptions;
let scryptParams: ScryptOptions & { N: number; r: number; p: number; maxmem: number } = standardScrypt;
const keyLength = 32;

/**
 * The cost of the hashes made from now on in this process. Only a test suite's setup asks for `test`
 * (`src/testing/password-hashing.ts`), as Rails' `min_cost` does: a standard hash takes about 150 ms
 * of a core, and the suite signs in and seeds admins thousands of times. Verifying always uses the
 * parameters stored in the hash, whatever this is.
 */
export function setPasswordHashCost(cost: 'standard' | 'test') {
  scryptParams = cost === 'test' ? testScrypt : standardScrypt;
}

const scryptAsync = (password: string, salt: Buffer, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

/** `scrypt$N$r$p$salt$hash`: parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, scryptParams);
  const { N, r, p } = scryptParams;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: standardScrypt.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;
/**
 * A hash with the cost of a real one, so an unknown email takes as long to reject as a wrong password.
 * Made at the first sign-in with an unknown email, not when the module loads.
 */
export const dummyPasswordHash = () => {
  dummyHash ??= hashPassword(randomToken());
  return dummyHash;
};
