import { defineProject } from 'vitest/config';
import { sdkSourceAliases } from '../vitest.shared.js';

// The dashboard's unit tests cover plain logic (API client, router, list and form helpers): no DOM.
export default defineProject({
  resolve: { alias: sdkSourceAliases },
  test: {
    name: 'dashboard',
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
