import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: sourceAliases },
  // Property tests on a shared machine: fast-check's first string generation alone can take
  // seconds of wall time there. A generous limit, never a timing assertion.
  test: { name: 'ws-protocol', testTimeout: 20_000 },
});
