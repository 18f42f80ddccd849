import { copyFile } from 'node:fs/promises';
import { writeBundleLicenses } from '@civtag/bundle-licenses';
import { defineConfig } from 'tsup';

export default defineConfig({
  // `app` names the outputs: dist/app.js and, from the CSS the entry imports, dist/app.css.
  entry: { app: 'src/main.tsx' },
  format: ['esm'],
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  clean: true,
  metafile: true,
  noExternal: [/.*/],
  esbuildOptions(options) {
    options.jsx = 'automatic';
    options.jsxImportSource = 'preact';
  },
  async onSuccess() {
    await copyFile('src/index.html', 'dist/index.html');
    await writeBundleLicenses({
      packageRoot: '.',
      metafile: 'dist/metafile-esm.json',
      outFile: 'dist/THIRD-PARTY-LICENSES.txt',
    });
  },
});
