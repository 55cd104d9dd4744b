import { defineConfig } from 'vitest/config';
import { sdkSourceAliases } from '../vitest.shared.ts';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: sdkSourceAliases },
  test: {
    name: 'widget',
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
