import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleScript } from './bundle-script.js';
import { makeTempDir, writePngs } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };

beforeAll(async () => {
  temp = await makeTempDir('readme');
});

afterAll(async () => {
  await temp.remove();
});

describe.each([
  ['the package README', '../README.md'],
  ['the repository README', '../../../README.md'],
])('the example in %s', (_name, readmePath) => {
  it('runs as written and leaves the dataset and kohya folder it describes', async () => {
    const readme = await readFile(new URL(readmePath, import.meta.url), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain("from '@civtag/core'");
    await rm(temp.dir, { recursive: true, force: true });
    await mkdir(temp.dir, { recursive: true });
    const script = path.join(temp.dir, 'example.mjs');
    await writeFile(script, example ?? '');
    const bundle = path.join(temp.dir, 'example.bundle.mjs');
    await bundleScript(script, bundle);
    await mkdir(path.join(temp.dir, 'photos', 'more'), { recursive: true });
    await writePngs(path.join(temp.dir, 'photos'), 2);
    await writePngs(path.join(temp.dir, 'photos', 'more'), 1, { firstSeed: 50 });

    const { stdout } = await promisify(execFile)('node', [bundle], { cwd: temp.dir });
    expect(stdout).toContain('3 images, 0 unreadable, 0 duplicates');
    expect(stdout).toContain(`kohya folder: ${path.join(temp.dir, 'train', '10_sakura_style')}`);
    expect(await readFile(path.join(temp.dir, 'sakura-dataset', 'sakura_0001.txt'), 'utf8')).toBe(
      'sakura_style, cherry blossom',
    );
    expect((await readdir(path.join(temp.dir, 'train', '10_sakura_style'))).length).toBe(6);
  }, 60_000);
});
