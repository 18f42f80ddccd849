import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { writeBundleLicenses } from '@civtag/bundle-licenses';
import { defineConfig } from 'tsup';

const webDist = '../web/dist';

// The published `civtag` package: one bundle of the CLI and server with everything but sharp
// (native binaries, installed beside it) and the optional tagger and the built web app in dist/web, where the server
// looks first. Bundled CommonJS dependencies (fastify, ws) call `require`, which an ES module
// lacks: the banner gives them one.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  clean: true,
  splitting: true,
  metafile: true,
  // @civtag/autotag (onnxruntime-node, native) is an optional dependency, loaded with a dynamic
  // import from the installed packages when `civtag tag` runs.
  noExternal: [/^(?!(?:sharp|@civtag\/autotag)$)/],
  external: ['sharp', '@civtag/autotag'],
  banner: {
    js: "import { createRequire as __civtagCreateRequire } from 'node:module'; const require = __civtagCreateRequire(import.meta.url);",
  },
  async onSuccess() {
    await writeBundleLicenses({
      packageRoot: '.',
      metafile: 'dist/metafile-esm.json',
      outFile: 'dist/THIRD-PARTY-LICENSES.txt',
    });
    // turbo builds the web app first (turbo.json: civtag#build). Without it, the package would
    // ship a server that says "the web app is not built": fail instead.
    const web = await readdir(webDist).catch((): string[] => []);
    if (!web.includes('index.html')) {
      throw new Error(`The web app is not built (${path.resolve(webDist)}): run "pnpm build".`);
    }
    await cp(webDist, 'dist/web', {
      recursive: true,
      filter: (source) => !source.endsWith('.map'),
    });
  },
});
