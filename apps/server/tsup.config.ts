import { defineConfig } from 'tsup';

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
});
