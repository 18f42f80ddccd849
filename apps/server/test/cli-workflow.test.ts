import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { corpusPath } from '@civtag/test-corpus';
import { afterEach, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCivtag, scratchFolder, writeImages } from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

/** Runs the bundled CLI in `cwd`. */
function runCivtagIn(args: string[], cwd: string) {
  return runCivtag(args, { cwd });
}

describe('the civtag command line, bundled', () => {
  it('imports (reporting a broken file), counts tags, checks and exports, with --json for scripts; ok means the command did its work', async () => {
    const root = await scratchFolder(cleanUps);
    const source = path.join(root, 'photos');
    await writeImages(source, 3);
    await writeFile(path.join(source, 'sample-0.txt'), 'blue sky, cloud\n');
    const broken = corpusPath('sharp-fixtures', 'truncated.png');
    await copyFile(broken, path.join(source, 'broken.png'));

    const imported = await runCivtagIn(
      ['import', 'photos', '--out', 'set', '--prefix', 'sky', '--trigger', 'skystyle', '--json'],
      root,
    );
    expect(imported.code).toBe(0);
    const progress = JSON.parse(imported.stdout) as {
      state: string;
      failed: number;
      failures: { path: string }[];
    };
    // A file that cannot be imported is reported in the result; the import itself did its work.
    expect(progress).toMatchObject({ ok: true, state: 'done', failed: 1 });
    expect(progress).not.toHaveProperty('error');
    expect(progress.failures[0]!.path).toContain('broken.png');
    expect(await readFile(path.join(root, 'set', 'sky_0001.txt'), 'utf8')).toBe(
      'skystyle, blue sky, cloud',
    );

    const stats = JSON.parse((await runCivtagIn(['stats', 'set', '--json'], root)).stdout) as {
      tags: { tag: string; count: number }[];
    };
    expect(stats).toMatchObject({ ok: true, dataset: path.join(root, 'set'), imageCount: 3 });
    expect(stats.tags).toContainEqual({ tag: 'skystyle', count: 3 });
    expect(stats.tags).toContainEqual({ tag: 'cloud', count: 1 });

    const check = await runCivtagIn(['check', 'set'], root);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('3 images');
    const checkedJson = await runCivtagIn(['check', 'set', '--json'], root);
    expect(checkedJson.code).toBe(0);
    expect(JSON.parse(checkedJson.stdout)).toMatchObject({ ok: true, passed: true, imageCount: 3 });

    const exported = await runCivtagIn(['export', 'set', '--zip', 'set.zip', '--json'], root);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual({
      ok: true,
      format: 'zip',
      file: path.join(root, 'set.zip'),
    });
    expect((await readFile(path.join(root, 'set.zip'))).subarray(0, 2).toString('latin1')).toBe(
      'PK',
    );

    // A check that finds an error did what was asked (ok) and fails the dataset (passed, exit 1).
    await rm(path.join(root, 'set', 'sky_0002.png'));
    const failedCheck = await runCivtagIn(['check', 'set', '--json'], root);
    expect(failedCheck.code).toBe(1);
    const verdict = JSON.parse(failedCheck.stdout) as {
      ok: boolean;
      passed: boolean;
      problems: { code: string; severity: string }[];
    };
    expect(verdict).toMatchObject({ ok: true, passed: false });
    expect(verdict.problems).toContainEqual(
      expect.objectContaining({ code: 'FILE_MISSING', severity: 'error' }),
    );
    const failedRepair = await runCivtagIn(['check', 'set', '--repair', '--json'], root);
    expect(failedRepair.code).toBe(1);
    expect(JSON.parse(failedRepair.stdout)).toMatchObject({ ok: true, passed: false });
  });

  it('repairs a caption saved with a byte-order mark when asked, and only then', async () => {
    const root = await scratchFolder(cleanUps);
    await writeImages(path.join(root, 'photos'), 2);
    await writeFile(path.join(root, 'photos', 'sample-0.txt'), 'blue sky');
    expect(
      (await runCivtagIn(['import', 'photos', '--out', 'set', '--prefix', 'sky'], root)).code,
    ).toBe(0);
    const caption = path.join(root, 'set', 'sky_0001.txt');
    await writeFile(caption, '\uFEFFblue sky');

    const checked = JSON.parse((await runCivtagIn(['check', 'set', '--json'], root)).stdout) as {
      problems: { code: string }[];
    };
    expect(checked.problems.map((problem) => problem.code)).toContain('CAPTION_HAS_BOM');
    expect(await readFile(caption, 'utf8')).toBe('\uFEFFblue sky');

    const repaired = await runCivtagIn(['check', 'set', '--repair', '--json'], root);
    const result = JSON.parse(repaired.stdout) as {
      repaired: { rewritten: number };
      problems: { code: string }[];
    };
    expect(repaired.code).toBe(0);
    expect(result).toMatchObject({ ok: true, passed: true });
    expect(result.repaired.rewritten).toBe(1);
    expect(result.problems.map((problem) => problem.code)).not.toContain('CAPTION_HAS_BOM');
    expect(await readFile(caption, 'utf8')).toBe('blue sky');
  });

  it('announces a listening server with ok in its one JSON line', async () => {
    const root = await scratchFolder(cleanUps);
    await writeImages(path.join(root, 'photos'), 1);
    expect((await runCivtagIn(['import', 'photos', '--out', 'set'], root)).code).toBe(0);
    const child = spawn(
      process.execPath,
      [requireBuiltCli(), 'serve', 'set', '--port', '0', '--json'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    cleanUps.push(async () => {
      child.kill('SIGTERM');
      await exited;
    });
    const [line] = await once(createInterface({ input: child.stdout }), 'line');
    expect(JSON.parse(String(line))).toMatchObject({
      ok: true,
      dataset: path.join(root, 'set'),
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
    });
  });

  it('fails with exit 1 and a message naming the folder, creating nothing, when the source is missing', async () => {
    const root = await scratchFolder(cleanUps);
    const result = await runCivtagIn(['import', 'no-such-folder', '--out', 'set'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${path.join(root, 'no-such-folder')} is not a folder of images`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(root, 'set'))).toBe(false);
  });

  it('answers a usage mistake with exit 2', async () => {
    const root = await scratchFolder(cleanUps);
    const result = await runCivtagIn(['export', 'set', '--zip'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: civtag export');
  });
});
