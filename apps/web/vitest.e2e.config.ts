import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: Debian's Chromium driven by playwright-core against the built server
 * (`apps/server/dist/cli.js`) and the built web app. One file at a time: each starts servers
 * and browsers, and the machine is small.
 */
export default defineConfig({
  test: {
    name: 'web-e2e',
    include: ['test/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // The page updates asynchronously; on a busy machine a second is not enough.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
