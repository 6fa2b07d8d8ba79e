import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // lib/ modules marked server-only are plain server code under test (as in tsconfig paths).
  resolve: { alias: { 'server-only': fileURLToPath(new URL('./node_modules/server-only/empty.js', import.meta.url)) } },
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
