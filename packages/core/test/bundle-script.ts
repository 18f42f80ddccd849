import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './fixtures.js';

/**
 * Bundles a script that imports `@civtag/*` packages from their sources into one ESM file
 * that plain `node` runs, so that child processes need no build of the packages. Only sharp
 * (native) stays outside the bundle, imported by its absolute path, and the packages named in
 * `built` (`autotag`, which loads onnxruntime on a thread of its own), imported from their build.
 */
export async function bundleScript(
  entry: string,
  outFile: string,
  built: readonly string[] = [],
): Promise<void> {
  const packages = ['api-models', 'tags', 'core-fs', 'session', 'core'];
  const sourceAliases = Object.fromEntries([
    // The store's entry point of `@civtag/session`, before the package itself.
    ['@civtag/session/store', path.join(repoRoot, 'packages/session/src/store.ts')],
    ...packages.map((name) => [
      `@civtag/${name}`,
      path.join(repoRoot, 'packages', name, 'src', 'index.ts'),
    ]),
  ]);
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
      {
        name: 'built-outside',
        setup(builder) {
          for (const name of built) {
            const dist = path.join(repoRoot, 'packages', name, 'dist', 'index.js');
            if (!existsSync(dist)) {
              throw new Error(`${dist} is missing: build first (pnpm turbo run build)`);
            }
            builder.onResolve({ filter: new RegExp(`^@civtag/${name}$`) }, () => ({
              path: dist,
              external: true,
            }));
          }
        },
      },
    ],
  });
}
