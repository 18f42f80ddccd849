import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusPath } from '@civtag/test-corpus';

/** The repository root, found from this file (apps/web/test/support). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The built civtag command line the tests run as a child process. */
export const cliPath = path.join(repoRoot, 'apps/server/dist/cli.js');

/** Where the e2e run writes its screenshots (ignored by git). */
export const screenshotDir = path.join(repoRoot, 'apps/web/test-results');

/** The repository's test corpus (test/corpus); the tests fail (not skip) without it. */
export function corpusDir(): string {
  return corpusPath();
}

/** Fails with a clear message when the server or the web app has not been built. */
export function requireBuilt(): void {
  const missing = [cliPath, path.join(repoRoot, 'apps/web/dist/index.html')].filter(
    (file) => !existsSync(file),
  );
  if (missing.length > 0) {
    throw new Error(`Build first (pnpm build): missing ${missing.join(', ')}`);
  }
}
