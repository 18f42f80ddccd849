import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './fixtures.js';

/**
 * Bundles a script that imports `@civtag/*` packages from their sources into one ESM file
 * that plain `node` runs, so that child processes need no build of the packages. Only sharp
 * (native) stays outside the bundle, imported by its absolute path.
 */
export async function bundleScript(entry: string, outFile: string): Promise<void> {
  const packages = ['api-models', 'tags', 'core-fs', 'session', 'core'];
  const sourceAliases = Object.fromEntries(
    packages.map((name) => [
      `@civtag/${name}`,
      path.join(repoRoot, 'packages', name, 'src', 'index.ts'),
    ]),
  );
  const requireFromCoreFs = createRequire(path.join(repoRoot, 'packages/core-fs/package.json'));
  const sharpEntry = requireFromCoreFs.resolve('sharp');
  await build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    alias: sourceAliases,
    banner: {
      js: "import { createRequire as __civtagRequire } from 'node:module'; const require = __civtagRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'sharp-outside',
        setup(builder) {
          builder.onResolve({ filter: /^sharp$/ }, () => ({ path: sharpEntry, external: true }));
        },
      },
    ],
  });
}
