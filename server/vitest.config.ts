import { defineProject } from 'vitest/config';
import { sdkSourceAliases } from '../vitest.shared.ts';

export default defineProject({
  resolve: { alias: sdkSourceAliases },
  test: {
    name: 'server',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Every JSON answer of a described route is checked against its OpenAPI schema (src/lib/openapi.ts),
    // and password hashes are made at scrypt's test cost (src/testing/password-hashing.ts).
    setupFiles: ['src/testing/openapi-check.ts', 'src/testing/password-hashing.ts'],
    // Migrates one PGlite once and dumps it; each in-memory test database starts from that dump.
    globalSetup: ['src/testing/pglite-template.ts'],
    // Each file opens its own database (PGlite in memory, or a fresh PostgreSQL database).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
