import path from 'node:path';
import { build } from 'esbuild';
import { repositoryRoot } from './corpus.js';

/** The workspace packages core-fs uses, taken from their sources (as the tests do) so no build is needed. */
const sourceAliases = Object.fromEntries(
  ['api-models', 'tags'].map((name) => [
    `@civtag/${name}`,
    path.join(repositoryRoot, 'packages', name, 'src', 'index.ts'),
  ]),
);

/** Bundles a TypeScript script of the test fixtures into one ES module a child `node` can run. */
export async function buildScript(entry: string, outputFolder: string): Promise<string> {
  const outfile = path.join(outputFolder, `${path.basename(entry, '.ts')}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    alias: sourceAliases,
    external: ['sharp'],
    logLevel: 'error',
  });
  return outfile;
}
