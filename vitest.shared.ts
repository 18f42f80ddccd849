import { fileURLToPath } from 'node:url';

const packageNames = [
  'api-models',
  'tags',
  'core-fs',
  'session',
  'session-postgres',
  'core',
  'ws-protocol',
  'ws-client',
  'autotag',
] as const;

/**
 * Tests import workspace packages from their sources, so a test run needs no build
 * and a change in one package is seen at once by the tests of the packages above it.
 */
export const sourceAliases: Record<string, string> = Object.fromEntries([
  // Before `@civtag/autotag`: Vite matches aliases by prefix, in order.
  [
    '@civtag/autotag/testing',
    fileURLToPath(new URL('./packages/autotag/src/testing.ts', import.meta.url)),
  ],
  // Before `@civtag/session`, for the same reason.
  [
    '@civtag/session/store',
    fileURLToPath(new URL('./packages/session/src/store.ts', import.meta.url)),
  ],
  ...packageNames.map((name) => [
    `@civtag/${name}`,
    fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
  ]),
]);
