import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['lib/**/*.test.ts'],
    // One real PostgreSQL for the whole run (lib/testing/global-setup.ts); test files share
    // it, so they run one after another.
    globalSetup: ['lib/testing/global-setup.ts'],
    setupFiles: ['lib/testing/setup-env.ts'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
