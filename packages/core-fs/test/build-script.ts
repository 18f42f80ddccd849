import path from 'node:path';
import { build } from 'esbuild';
import { sourceAliases } from '../../../vitest.shared.js';

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
