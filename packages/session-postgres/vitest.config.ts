import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: sourceAliases },
  // Each test file starts its own PostgreSQL server: one file at a time keeps a small machine
  // from timing out starting several.
  test: {
    name: 'session-postgres',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
