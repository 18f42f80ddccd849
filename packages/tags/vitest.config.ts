import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: sourceAliases },
  // Property tests run thousands of cases; on a busy shared machine they need more than 5 s.
  test: { name: 'tags', testTimeout: 30_000 },
});
