import { defineProject } from 'vitest/config';
import { sdkSourceAliases } from '../vitest.shared.ts';

export default defineProject({
  resolve: { alias: sdkSourceAliases },
  test: {
    name: 'server',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Each file opens its own database (PGlite in memory, or a fresh PostgreSQL database).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
