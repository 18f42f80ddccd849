import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: sourceAliases },
  // Real sockets on a shared machine: generous limits, never a timing assertion.
  test: { name: 'ws-client', testTimeout: 20_000 },
});
