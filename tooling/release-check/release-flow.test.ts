import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The release flow, proven without publishing: a copy of the workspace (as committed, plus the
// built dist folders) is versioned by changesets and published with --dry-run, and every public
// package is packed the way `changeset publish` (through `pnpm publish`) would upload it.

const run = promisify(execFile);
const repositoryRoot = path.resolve(import.meta.dirname, '../..');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface WorkspacePackage {
  folder: string;
  before: Manifest;
}

let copy: string;
let publicPackages: WorkspacePackage[];
let pendingNames: Set<string>;
let publishOutput: string;

async function readManifest(folder: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as Manifest;
}

async function listWorkspacePackages(root: string): Promise<WorkspacePackage[]> {
  const found: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps', 'tooling']) {
    for (const entry of await readdir(path.join(root, group))) {
      const folder = path.join(group, entry);
      if (existsSync(path.join(root, folder, 'package.json'))) {
        found.push({ folder, before: await readManifest(path.join(root, folder)) });
      }
    }
  }
  return found;
}

/** The packages named in the front matter of the pending changesets. */
async function packagesWithPendingChangesets(root: string): Promise<Set<string>> {
  const names = new Set<string>();
  const folder = path.join(root, '.changeset');
  for (const file of (await readdir(folder)).filter((name) => name.endsWith('.md'))) {
    const front = (await readFile(path.join(folder, file), 'utf8')).match(/^---\n([\s\S]*?)\n---/);
    for (const line of front?.[1]?.split('\n') ?? []) {
      const name = line.match(/^\s*["']?([^"':]+)["']?\s*:/)?.[1];
      if (name !== undefined) names.add(name);
    }
  }
  return names;
}

function runtimeDependencies(manifest: Manifest): Record<string, string> {
  return {
    ...manifest.dependencies,
    ...manifest.peerDependencies,
    ...manifest.optionalDependencies,
  };
}

beforeAll(async () => {
  copy = await mkdtemp(path.join(tmpdir(), 'civtag-release-'));
  const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: repositoryRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = stdout
    .split('\n')
    .filter((file) => file !== '' && !file.startsWith('test/corpus/'));
  for (const file of files) {
    if (!existsSync(path.join(repositoryRoot, file))) continue; // deleted, not yet committed
    await mkdir(path.dirname(path.join(copy, file)), { recursive: true });
    await cp(path.join(repositoryRoot, file), path.join(copy, file));
  }
  const packages = await listWorkspacePackages(copy);
  publicPackages = packages.filter((entry) => entry.before.private !== true);
  for (const { folder, before } of publicPackages) {
    const dist = path.join(repositoryRoot, folder, 'dist');
    if (!existsSync(dist))
      throw new Error(`${before.name} is not built (${dist}): run "pnpm build".`);
    await cp(dist, path.join(copy, folder, 'dist'), { recursive: true });
  }
  pendingNames = await packagesWithPendingChangesets(copy);

  // The store is warm from the install of the repository itself: no network needed.
  await run('pnpm', ['install', '--offline', '--frozen-lockfile', '--ignore-scripts'], {
    cwd: copy,
  });
  await run('pnpm', ['changeset', 'version'], { cwd: copy });
  const published = await run('pnpm', ['publish', '-r', '--dry-run', '--no-git-checks'], {
    cwd: copy,
    maxBuffer: 64 * 1024 * 1024,
  });
  publishOutput = `${published.stdout}\n${published.stderr}`;
});

afterAll(async () => {
  if (copy !== undefined) await rm(copy, { recursive: true, force: true });
});

describe('the release flow, on a copy of the workspace', () => {
  it('has pending changesets to release, and every one names a workspace package', async () => {
    expect(pendingNames.size).toBeGreaterThan(0);
    const known = new Set((await listWorkspacePackages(repositoryRoot)).map((p) => p.before.name));
    for (const name of pendingNames) expect(known).toContain(name);
  });

  it('turns every pending changeset into a version and a changelog entry', async () => {
    const left = (await readdir(path.join(copy, '.changeset'))).filter(
      (file) => file.endsWith('.md') && file !== 'README.md',
    );
    expect(left).toEqual([]);
    for (const { folder, before } of publicPackages) {
      const after = await readManifest(path.join(copy, folder));
      if (!pendingNames.has(before.name)) continue;
      expect(after.version, before.name).not.toBe(before.version);
      const changelog = await readFile(path.join(copy, folder, 'CHANGELOG.md'), 'utf8');
      expect(changelog.match(/^## (.+)$/m)?.[1], before.name).toBe(after.version);
    }
  });

  it('publishes every public package, each after the packages it depends on', async () => {
    const order = [...publishOutput.matchAll(/📦 (\S+)@(\d\S*) →/g)].map((match) => match[1]!);
    expect([...order].sort()).toEqual(publicPackages.map((entry) => entry.before.name).sort());
    for (const { folder, before } of publicPackages) {
      const after = await readManifest(path.join(copy, folder));
      for (const dependency of Object.keys(runtimeDependencies(after))) {
        if (!order.includes(dependency)) continue;
        expect(order.indexOf(dependency), `${dependency} before ${before.name}`).toBeLessThan(
          order.indexOf(before.name),
        );
      }
    }
  });

  it('packs each public package with its workspace ranges rewritten to the new versions', async () => {
    const tarballs = path.join(copy, '.tarballs');
    const versions = new Map<string, string>();
    for (const { folder } of publicPackages) {
      const after = await readManifest(path.join(copy, folder));
      versions.set(after.name, after.version);
    }
    for (const { folder } of publicPackages) {
      const destination = path.join(tarballs, folder);
      await run('pnpm', ['pack', '--pack-destination', destination], {
        cwd: path.join(copy, folder),
      });
      const [tarball] = await readdir(destination);
      const { stdout } = await run('tar', [
        '-xzOf',
        path.join(destination, tarball!),
        'package/package.json',
      ]);
      const packed = JSON.parse(stdout) as Manifest;
      expect(packed.version).toBe(versions.get(packed.name));
      for (const [dependency, range] of Object.entries(runtimeDependencies(packed))) {
        expect(range, `${packed.name} → ${dependency}`).not.toMatch(/^workspace:/);
        const internal = versions.get(dependency);
        if (internal !== undefined) expect(range).toBe(`^${internal}`);
      }
    }
  });
});
