import { defineConfig } from 'drizzle-kit';

// Only for `npm run db:generate -w server`: migrations are generated from the schema and committed.
export default defineConfig({
  dialect: 'postgresql',
  // The index re-exports every feature's tables (src/features/*/schema.ts).
  schema: './src/db/schema.ts',
  out: './drizzle',
});
