import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { checkGraph } from './check-graph.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const made: string[] = [];

function workspace(files: Record<string, string | object>): string {
  const root = mkdtempSync(join(tmpdir(), 'civtag-graph-'));
  made.push(root);
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

function manifest(name: string, dependencies: Record<string, string> = {}) {
  return { name, version: '0.0.0', dependencies };
}

afterEach(() => {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('checkGraph', () => {
  it('accepts the civtag workspace as it stands', () => {
    expect(checkGraph(repoRoot)).toEqual([]);
  });

  it('accepts a workspace that follows the graph', () => {
    const root = workspace({
      'packages/api-models/package.json': manifest('@civtag/api-models'),
      'packages/api-models/src/index.ts': "import * as z from 'zod/mini';\nexport { z };",
      'packages/tags/package.json': manifest('@civtag/tags', {
        '@civtag/api-models': 'workspace:^',
      }),
      'packages/tags/src/index.ts': "export { CivtagError } from '@civtag/api-models';",
    });
    expect(checkGraph(root)).toEqual([]);
  });

  it('counts an optional dependency as an edge of the graph', () => {
    const root = workspace({
      'packages/tags/package.json': {
        ...manifest('@civtag/tags'),
        optionalDependencies: { '@civtag/core': 'workspace:^' },
      },
      'packages/tags/src/load.ts': "export const load = () => import('@civtag/core');",
      'packages/core/package.json': manifest('@civtag/core'),
    });
    expect(checkGraph(root).join('\n')).toMatch(
      /@civtag\/tags: depends on @civtag\/core, which the build graph does not allow/,
    );
  });

  it('refuses a node: import in a browser-safe package', () => {
    const root = workspace({
      'packages/tags/package.json': manifest('@civtag/tags'),
      'packages/tags/src/read.ts': "import { readFile } from 'node:fs/promises';",
      'packages/tags/src/path.ts': "import path from 'path';",
    });
    const violations = checkGraph(root);
    expect(violations).toHaveLength(2);
    expect(violations.join('\n')).toMatch(/node:fs\/promises.*must run in a browser/);
  });

  it('lets the Node scripts beside a browser-safe package use Node, since they do not ship', () => {
    const root = workspace({
      'packages/ws-client/package.json': manifest('@civtag/ws-client'),
      'packages/ws-client/scripts/bundle-size.mjs': "import { gzipSync } from 'node:zlib';",
      'packages/ws-client/src/client.ts': 'export const client = 1;',
    });
    expect(checkGraph(root)).toEqual([]);
  });

  it('refuses deep imports, undeclared imports and edges the graph does not allow', () => {
    const root = workspace({
      'packages/api-models/package.json': manifest('@civtag/api-models'),
      'packages/core-fs/package.json': manifest('@civtag/core-fs', {
        '@civtag/api-models': 'workspace:^',
      }),
      'packages/tags/package.json': manifest('@civtag/tags', {
        '@civtag/api-models': 'workspace:^',
        '@civtag/core-fs': 'workspace:^',
      }),
      'packages/tags/src/a.ts': "import { x } from '@civtag/api-models/src/errors.js';",
      'packages/tags/src/b.ts': "import { y } from '@civtag/core-fs';",
      'packages/core-fs/src/c.ts': "import { z } from '@civtag/core';",
    });
    const text = checkGraph(root).join('\n');
    expect(text).toContain('deep import "@civtag/api-models/src/errors.js"');
    expect(text).toContain(
      '@civtag/tags: depends on @civtag/core-fs, which the build graph does not allow',
    );
    expect(text).toContain('imports @civtag/core, which @civtag/core-fs does not declare');
  });

  it('takes a subpath that the imported package exports as a public entry, not a deep import', () => {
    const root = workspace({
      'packages/core-fs/package.json': {
        ...manifest('@civtag/core-fs'),
        exports: { '.': './dist/index.js', './testing': './dist/testing.js' },
      },
      'packages/core/package.json': manifest('@civtag/core', { '@civtag/core-fs': 'workspace:^' }),
      'packages/core/src/a.test.ts': "import { fixture } from '@civtag/core-fs/testing';",
      'packages/core/src/b.ts': "import { other } from '@civtag/core-fs/src/other.js';",
    });
    expect(checkGraph(root)).toEqual([
      'packages/core/src/b.ts: deep import "@civtag/core-fs/src/other.js"; import "@civtag/core-fs" instead',
    ]);
  });

  it('refuses a package that imports an app, and a relative import out of the package', () => {
    const root = workspace({
      'packages/core/package.json': manifest('@civtag/core', { civtag: 'workspace:^' }),
      'packages/core/src/a.ts': "import '../../../apps/server/src/index.js';",
      'apps/server/package.json': manifest('civtag'),
    });
    const text = checkGraph(root).join('\n');
    expect(text).toContain('depends on the app civtag');
    expect(text).toContain('leaves its package');
  });

  it('finds dependency cycles', () => {
    const root = workspace({
      'packages/session/package.json': manifest('@civtag/session', {
        '@civtag/core': 'workspace:^',
      }),
      'packages/core/package.json': manifest('@civtag/core', { '@civtag/session': 'workspace:^' }),
    });
    expect(checkGraph(root).join('\n')).toMatch(/dependency cycle: @civtag\/(core|session) → /);
  });
});
