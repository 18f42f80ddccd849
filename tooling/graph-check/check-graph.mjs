#!/usr/bin/env node
// Enforces the build graph of civtag (docs/architecture.md): allowed edges between workspace
// packages, no cycles, no package importing an app, no deep imports, nothing Node-only in a
// browser-safe package, no relative import that leaves its package.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The edges DESIGN allows: package → the workspace packages it may import. */
export const ALLOWED_EDGES = {
  '@civtag/api-models': [],
  '@civtag/tags': ['@civtag/api-models'],
  '@civtag/core-fs': ['@civtag/api-models', '@civtag/tags'],
  '@civtag/session': ['@civtag/api-models', '@civtag/core-fs'],
  '@civtag/core': ['@civtag/api-models', '@civtag/tags', '@civtag/core-fs', '@civtag/session'],
  '@civtag/autotag': ['@civtag/api-models', '@civtag/tags', '@civtag/core-fs'],
  // And `pg`, its one dependency outside the workspace.
  '@civtag/session-postgres': ['@civtag/api-models', '@civtag/session'],
  '@civtag/ws-protocol': ['@civtag/api-models'],
  '@civtag/ws-client': ['@civtag/ws-protocol', '@civtag/api-models'],
  civtag: [
    '@civtag/api-models',
    '@civtag/tags',
    '@civtag/core-fs',
    '@civtag/core',
    '@civtag/ws-protocol',
    '@civtag/ws-client',
    // Optional, loaded with a dynamic import by `civtag tag` (docs/architecture.md).
    '@civtag/autotag',
    // Bundled (with `pg`, plain JavaScript) into a chunk of its own, loaded with a dynamic
    // import only by `--database`.
    '@civtag/session-postgres',
  ],
  '@civtag/web': ['@civtag/api-models', '@civtag/tags', '@civtag/ws-protocol', '@civtag/ws-client'],
  '@civtag/bench': ['*'],
  '@civtag/graph-check': [],
  '@civtag/tsconfig': [],
  '@civtag/test-corpus': [],
  '@civtag/test-zip': [],
  '@civtag/test-disk': [],
  '@civtag/test-fuzz': [],
  '@civtag/test-postgres': [],
  '@civtag/bundle-licenses': [],
  '@civtag/release-check': [],
  '@civtag/soak': ['@civtag/ws-client', '@civtag/tags', '@civtag/test-corpus'],
};

/** Packages that must run in a browser: no `node:` module, no Node built-in. */
export const BROWSER_SAFE = new Set([
  '@civtag/api-models',
  '@civtag/tags',
  '@civtag/ws-protocol',
  '@civtag/ws-client',
  '@civtag/web',
]);

const APPS = new Set(['civtag', '@civtag/web']);
const SOURCE_FILE = /\.(ts|tsx|mts|js|mjs)$/;
const IMPORT_PATTERNS = [
  /\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"]+)['"]/g,
  /\bexport\s+(?:type\s+)?[\w*{}\s,$]+\s+from\s+['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const NODE_BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith('_')));

function listWorkspacePackages(root) {
  const found = [];
  for (const group of ['packages', 'apps', 'tooling']) {
    const groupDir = join(root, group);
    let entries = [];
    try {
      entries = readdirSync(groupDir);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const dir = join(groupDir, entry);
      try {
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        found.push({ dir, manifest, isApp: group === 'apps' });
      } catch {
        // A folder without package.json is not a workspace package.
      }
    }
  }
  return found;
}

function listSourceFiles(dir) {
  const files = [];
  const walk = (current) => {
    for (const entry of readdirSync(current)) {
      if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
      const path = join(current, entry);
      const stats = statSync(path);
      if (stats.isDirectory()) walk(path);
      // Tool configs at a package's top (tsup, vitest) are not part of what it ships.
      else if (current !== dir && SOURCE_FILE.test(entry) && !entry.endsWith('.d.ts')) {
        files.push(path);
      }
    }
  };
  walk(dir);
  return files;
}

function importsOf(text) {
  const specifiers = new Set();
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of text.matchAll(pattern)) specifiers.add(match[1]);
  }
  return [...specifiers];
}

function findCycles(graph) {
  const cycles = [];
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

/**
 * Checks the workspace at `root` and returns the violations found, each a sentence naming the
 * file or package and the rule it breaks. An empty list means the graph holds.
 */
export function checkGraph(root) {
  const violations = [];
  const packages = listWorkspacePackages(root);
  const names = new Set(packages.map((entry) => entry.manifest.name));
  // The subpaths each package's `exports` names (`./testing`): importing one is not a deep import.
  const exportedSubpaths = new Map(
    packages.map(({ manifest }) => [
      manifest.name,
      new Set(
        typeof manifest.exports === 'object' && manifest.exports !== null
          ? Object.keys(manifest.exports).map((key) => key.replace(/^\./, ''))
          : [],
      ),
    ]),
  );
  const graph = new Map();

  for (const { dir, manifest } of packages) {
    const name = manifest.name;
    const allowed = ALLOWED_EDGES[name];
    if (allowed === undefined) {
      violations.push(`${name}: not in the build graph; add it to ALLOWED_EDGES with its edges`);
      continue;
    }
    const declared = {
      ...manifest.dependencies,
      ...manifest.devDependencies,
      ...manifest.peerDependencies,
      ...manifest.optionalDependencies,
    };
    const runtime = {
      ...manifest.dependencies,
      ...manifest.peerDependencies,
      ...manifest.optionalDependencies,
    };
    const edges = Object.keys(runtime).filter((dependency) => names.has(dependency));
    graph.set(name, edges);
    for (const dependency of edges) {
      if (APPS.has(dependency)) violations.push(`${name}: depends on the app ${dependency}`);
      else if (!allowed.includes('*') && !allowed.includes(dependency)) {
        violations.push(`${name}: depends on ${dependency}, which the build graph does not allow`);
      }
    }

    for (const file of listSourceFiles(dir)) {
      const where = relative(root, file);
      const isTestFile =
        /\.(test|e2e\.test)\.tsx?$/.test(file) || file.includes(`${sep}test${sep}`);
      // Only src/ ships; scripts/, bench/ and test/ run in Node beside the package.
      const ships = file.startsWith(join(dir, 'src') + sep) && !isTestFile;
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) {
          const target = resolve(join(file, '..'), specifier);
          if (target !== dir && !target.startsWith(dir + sep)) {
            violations.push(`${where}: relative import "${specifier}" leaves its package`);
          }
          continue;
        }
        const scoped = specifier.match(/^(@civtag\/[^/]+)(\/.*)?$/);
        if (scoped) {
          const [, target, subpath] = scoped;
          const exported = exportedSubpaths.get(target)?.has(subpath ?? '') ?? false;
          if (subpath !== undefined && subpath !== '/package.json' && !exported) {
            violations.push(`${where}: deep import "${specifier}"; import "${target}" instead`);
          }
          if (target === name) violations.push(`${where}: imports its own package "${target}"`);
          else if (APPS.has(target)) violations.push(`${where}: imports the app ${target}`);
          else if (declared[target] === undefined) {
            violations.push(`${where}: imports ${target}, which ${name} does not declare`);
          } else if (
            names.has(target) &&
            !isTestFile &&
            !allowed.includes('*') &&
            !allowed.includes(target)
          ) {
            violations.push(`${where}: imports ${target}, which the build graph does not allow`);
          }
          continue;
        }
        if (BROWSER_SAFE.has(name) && ships) {
          const bare = specifier.replace(/^node:/, '').split('/')[0];
          if (specifier.startsWith('node:') || NODE_BUILTINS.has(bare)) {
            violations.push(
              `${where}: imports "${specifier}", but ${name} must run in a browser (no Node modules)`,
            );
          }
        }
      }
    }
  }

  for (const cycle of findCycles(graph)) {
    violations.push(`dependency cycle: ${cycle.join(' → ')}`);
  }
  return violations;
}

const invokedDirectly =
  process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const root = resolve(process.argv[2] ?? join(fileURLToPath(import.meta.url), '../../..'));
  const violations = checkGraph(root);
  if (violations.length > 0) {
    console.error(`The build graph is broken (${violations.length}):`);
    for (const violation of violations) console.error(`  - ${violation}`);
    process.exit(1);
  }
  console.log('build graph: ok');
}
