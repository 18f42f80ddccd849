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
 * Bundles `session-child.ts` with the workspace sources it imports (as the tests see them) and
 * `pg` into one ES module that plain `node` runs, and returns its path.
 */
export async function bundleChild(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'civtag-postgres-child-'));
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
    // pg's optional native binding, which it loads only when asked to.
    external: ['pg-native'],
    // pg is CommonJS: give the bundle a `require` for the Node built-ins it loads.
    banner: {
      js: "import { createRequire as civtagRequire } from 'node:module'; const require = civtagRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'civtag-sources',
        setup(builder) {
          builder.onResolve({ filter: /^@civtag\/[a-z-]+(\/store)?$/ }, (args) => {
            const [name, subpath] = args.path.slice('@civtag/'.length).split('/');
            const file = subpath === undefined ? 'index.ts' : `${subpath}.ts`;
            return { path: path.join(packagesFolder, name as string, 'src', file) };
          });
        },
      },
    ],
  });
  return outfile;
}
