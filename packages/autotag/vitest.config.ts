import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: sourceAliases },
  // onnxruntime and sharp share two busy cores with other test files: give them time.
  test: { name: 'autotag', testTimeout: 60_000, hookTimeout: 60_000 },
});
