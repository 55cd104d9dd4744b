import { defineProject } from 'vitest/config';
import { sdkSourceAliases } from '../vitest.shared.ts';

export default defineProject({
  resolve: { alias: sdkSourceAliases },
  test: { name: 'sdk', include: ['src/**/*.test.ts'], environment: 'node' },
});
