import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cluster`: the suite on the Temporal server built from its Go module, on
 * PostgreSQL. Kept out of `npm test`: the first run builds the server (about 13 minutes).
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 600_000,
    // The first run builds the server from its Go module.
    hookTimeout: 1_200_000,
    fileParallelism: false,
    expect: { poll: { timeout: 10_000, interval: 100 } },
    reporters: ['default'],
  },
});
