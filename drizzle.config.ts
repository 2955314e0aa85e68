import { defineConfig } from 'drizzle-kit';

// Migrations are generated once and run unchanged on PGlite and PostgreSQL 15.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
});
