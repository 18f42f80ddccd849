// Bundles `src/index.ts` for the browser, minified, with every dependency (zod included),
// and prints its size as JSON: {"minified": bytes, "gzipped": bytes}.
// Usage: node packages/ws-client/scripts/bundle-size.mjs [entry.ts]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const packagesRoot = fileURLToPath(new URL('../..', import.meta.url));
// esbuild comes with tsup, a dev dependency of the repository.
const requireFromTsup = createRequire(createRequire(import.meta.url).resolve('tsup'));
const esbuild = requireFromTsup('esbuild');

// Workspace packages are bundled from their sources, so no build is needed first.
const workspaceSources = {
  name: 'civtag-workspace-sources',
  setup(build) {
    build.onResolve({ filter: /^@civtag\/(api-models|ws-protocol)$/ }, (args) => ({
      path: `${packagesRoot}${args.path.slice('@civtag/'.length)}/src/index.ts`,
    }));
  },
};

const entry = process.argv[2] ?? `${packageRoot}src/index.ts`;
const result = await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  legalComments: 'none',
  resolveExtensions: ['.ts', '.js', '.mjs'],
  absWorkingDir: packageRoot,
  plugins: [workspaceSources],
});
const code = result.outputFiles[0].contents;
console.log(
  JSON.stringify({ minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength }),
);
