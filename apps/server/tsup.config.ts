import { writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';
import packageJson from './package.json' with { type: 'json' };

// One deployable: everything is bundled but sharp, whose native binaries are installed beside it.
// Bundled CommonJS dependencies (fastify, ws) call `require`, which an ES module lacks: the banner
// gives them one.
export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
  splitting: true,
  noExternal: [/^(?!sharp$)/],
  external: ['sharp'],
  banner: {
    js: "import { createRequire as __civtagCreateRequire } from 'node:module'; const require = __civtagCreateRequire(import.meta.url);",
  },
  // dist/ is the deployable folder: its package.json makes it ES modules and names sharp, so
  // `cp -r dist /opt/civtag && cd /opt/civtag && npm install` is the whole installation.
  async onSuccess() {
    const deployable = {
      name: 'civtag',
      version: packageJson.version,
      private: true,
      type: 'module',
      bin: { civtag: './cli.js' },
      engines: packageJson.engines,
      dependencies: { sharp: packageJson.dependencies.sharp },
    };
    await writeFile('dist/package.json', `${JSON.stringify(deployable, null, 2)}\n`);
  },
});
