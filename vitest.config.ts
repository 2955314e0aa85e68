import { defineConfig } from 'vitest/config';

/**
 * Test tiers:
 *  - unit: pure rules beside the code (src/**\/*.test.ts), no database;
 *  - db-pglite: services, routes and the policy matrix through the real app on embedded PGlite;
 *  - db-postgres: the same files again on a PostgreSQL server, when TEST_DATABASE_URL is set (CI sets it);
 *  - e2e: real Chromium driving a real server, with axe-core on every page.
 */
const postgresUrl = process.env.TEST_DATABASE_URL;
const dbTests = ['test/**/*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // Ceilings against a hung test, not speed checks (those are benchmarks): a test that starts
    // CLI processes on PGlite took 24 s of a 30 s limit on a loaded two-core machine.
    testTimeout: 90_000,
    hookTimeout: 90_000,
    projects: [
      { extends: true as const, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      { extends: true as const, test: { name: 'db-pglite', include: dbTests, env: { TEST_DATABASE_URL: '' } } },
      ...(postgresUrl ? [{ extends: true as const, test: { name: 'db-postgres', include: dbTests, env: { TEST_DATABASE_URL: postgresUrl } } }] : []),
      { extends: true as const, test: { name: 'e2e', include: ['e2e/**/*.test.ts'], fileParallelism: false, testTimeout: 120_000 } },
    ],
  },
});
