import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: sourceAliases },
  // Real fsyncs on a busy shared disk can take seconds; the default 5 s would make them flaky.
  test: { name: 'core-fs', testTimeout: 30_000, hookTimeout: 30_000 },
});
