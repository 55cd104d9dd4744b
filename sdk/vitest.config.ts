import { defineProject } from 'vitest/config';
import { sdkSourceAliases } from '../vitest.shared.js';

export default defineProject({
  resolve: { alias: sdkSourceAliases },
  test: { name: 'sdk', include: ['src/**/*.test.ts'], environment: 'node' },
});
