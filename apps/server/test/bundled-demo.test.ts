import { cp, mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath, repoRoot, requireBuiltCli, scratchFolder, spawnServe } from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

describe('the bundled command line', () => {
  it('runs from a copy of dist with only sharp beside it, and serves the demo dataset', async () => {
    requireBuiltCli();
    const root = await scratchFolder(cleanUps);
    // A deployment: the bundle and sharp, nothing of the workspace.
    const app = path.join(root, 'app');
    await cp(path.dirname(cliPath), app, { recursive: true });
    await mkdir(path.join(app, 'node_modules'), { recursive: true });
    await symlink(
      path.join(repoRoot, 'apps/server/node_modules/sharp'),
      path.join(app, 'node_modules/sharp'),
      'dir',
    );
    const cache = path.join(root, 'cache');

    const serve = await spawnServe(['--port', '0'], {
      cli: path.join(app, 'cli.js'),
      env: { XDG_CACHE_HOME: cache },
    });
    cleanUps.push(async () => {
      if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
      await serve.exited;
    });
    expect(serve.url).toBe(`http://127.0.0.1:${serve.port}/`);
    const base = `http://127.0.0.1:${serve.port}`;
    expect(await (await fetch(`${base}/api/dataset`)).json()).toMatchObject({
      imageCount: 24,
      settings: { prefix: 'demo', triggerWord: 'shapes' },
    });
    const check = (await (await fetch(`${base}/api/check`)).json()) as {
      problems: { code: string }[];
    };
    expect(check.problems.map((problem) => problem.code)).toContain('IMAGE_TOO_SMALL');
    const captioned = (await (await fetch(`${base}/api/tags`)).json()) as {
      tags: { tag: string }[];
    };
    expect(captioned.tags.map((entry) => entry.tag)).toContain('geometric');
    expect(
      (await readdir(path.join(cache, 'civtag/demo/source'))).filter((file) =>
        /\.(png|jpg)$/.test(file),
      ),
    ).toHaveLength(24);

    serve.child.kill('SIGINT');
    expect((await serve.exited).code).toBe(0);
  });
});
