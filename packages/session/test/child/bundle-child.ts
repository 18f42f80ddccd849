import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const bundleFolders: string[] = [];

/** Removes every bundle made by {@link bundleChild} in this process. */
export async function removeBundles(): Promise<void> {
  await Promise.all(
    bundleFolders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })),
  );
}

const packagesFolder = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Bundles `session-child.ts` with the workspace sources it imports (as the tests see them) into
 * one ES module that plain `node` runs, and returns its path.
 */
export async function bundleChild(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'civtag-session-child-'));
  bundleFolders.push(folder);
  const outfile = path.join(folder, 'child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./session-child.ts', import.meta.url))],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    plugins: [
      {
        name: 'civtag-sources',
        setup(builder) {
          builder.onResolve({ filter: /^@civtag\/[a-z-]+$/ }, (args) => ({
            path: path.join(packagesFolder, args.path.slice('@civtag/'.length), 'src', 'index.ts'),
          }));
        },
      },
    ],
  });
  return outfile;
}
