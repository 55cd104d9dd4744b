import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, setPasswordHashCost, verifyPassword } from './crypto.js';

describe('password hashing', () => {
  // The suite's setup makes cheap hashes (testing/password-hashing.ts); a server makes standard ones.
  beforeAll(() => setPasswordHashCost('standard'));
  afterAll(() => setPasswordHashCost('test'));

  it('verifies the right password and rejects others', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'bcrypt$whatever')).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('verifies a hash by the parameters stored in it, whatever the cost hashes are made at now', async () => {
    setPasswordHashCost('test');
    const cheap = await hashPassword('correct horse battery');
    setPasswordHashCost('standard');
    expect(cheap).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', cheap)).toBe(true);
    expect(await verifyPassword('wrong horse battery', cheap)).toBe(false);
    expect(await hashPassword('correct horse battery')).toMatch(/^scrypt\$32768\$/);
  });
});
