import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // The embedded server is stopped when each command ends (no warm server left behind by a test).
    env: { TZ: 'Europe/London', CENSUS_DB_IDLE_SECONDS: '0' },
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
