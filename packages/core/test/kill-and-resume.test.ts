import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../src/index.js';
import { bundleScript } from './bundle-script.js';
import { fingerprintTree, listTree, makeTempDir, writePngs } from './fixtures.js';

const IMAGE_COUNT = 40;
let temp: { dir: string; remove: () => Promise<void> };
let child: string;

beforeAll(async () => {
  temp = await makeTempDir('kill');
  child = path.join(temp.dir, 'import-child.mjs');
  await bundleScript(fileURLToPath(new URL('./import-child.ts', import.meta.url)), child);
});

afterAll(async () => {
  await temp.remove();
});

/**
 * Runs the child until the dataset holds `killAfter` images (earlier runs included), then
 * SIGKILLs it; with `dieAt` the child kills itself the moment it holds that many.
 */
function runChild(
  source: string,
  target: string,
  killAfter?: number,
  dieAt?: number,
): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const args =
      dieAt === undefined ? [child, source, target] : [child, source, target, `${dieAt}`];
    const process: ChildProcess = spawn('node', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    process.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
      const done = output
        .split('\n')
        .filter((line) => line.startsWith('progress '))
        .map((line) => Number(line.slice('progress '.length)));
      const latest = done.at(-1) ?? 0;
      if (killAfter !== undefined && latest >= killAfter && process.exitCode === null)
        process.kill('SIGKILL');
    });
    process.stderr?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    process.on('error', reject);
    process.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true, output });
      else if (code === 0) resolve({ killed: false, output });
      else reject(new Error(`import child exited with ${code}: ${output}`));
    });
  });
}

async function hashesOf(dir: string, names: string[]): Promise<string[]> {
  const hashes: string[] = [];
  for (const name of names)
    hashes.push(
      createHash('sha256')
        .update(await readFile(path.join(dir, name)))
        .digest('hex'),
    );
  return hashes.sort();
}

describe('an import killed with SIGKILL and run again', () => {
  it('resumes with contiguous numbering, every source once, no temp files, the source untouched', async () => {
    const source = path.join(temp.dir, 'source');
    const target = path.join(temp.dir, 'dataset');
    await mkdir(source);
    const names = await writePngs(source, IMAGE_COUNT, { size: 160 });
    const before = await fingerprintTree(source);

    let kills = 0;
    // Each run is killed a few files further on (progress counts what earlier runs did too).
    for (const killAfter of [2, 7, 13, 19, 26, 33]) {
      const run = await runChild(source, target, killAfter);
      if (run.killed) kills += 1;
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    const final = await runChild(source, target);
    expect(final.killed).toBe(false);
    const resultLine = final.output.split('\n').find((line) => line.startsWith('result '));
    expect(JSON.parse(resultLine?.slice('result '.length) ?? '{}')).toMatchObject({
      state: 'done',
      failed: 0,
      total: IMAGE_COUNT,
      done: IMAGE_COUNT,
    });

    const expectedFiles = Array.from(
      { length: IMAGE_COUNT },
      (_, index) => `kill_${String(index + 1).padStart(4, '0')}.png`,
    );
    const dataset = await openDataset(target);
    try {
      expect(dataset.images().map((image) => image.file)).toEqual(expectedFiles);
      expect(new Set(dataset.images().map((image) => image.hash)).size).toBe(IMAGE_COUNT);
    } finally {
      await dataset.close();
    }
    const onDisk = (await readdir(target)).filter((name) => name !== '.civtag').sort();
    const captions = expectedFiles.map((file) => file.replace('.png', '.txt'));
    expect(onDisk).toEqual([...expectedFiles, ...captions].sort());
    for (const caption of captions)
      expect(await readFile(path.join(target, caption), 'utf8')).toBe('kill_style');
    expect(await hashesOf(target, expectedFiles)).toEqual(await hashesOf(source, names));
    const everything = await listTree(target);
    expect(everything.filter((file) => /civtag-(tmp|old)$/.test(file))).toEqual([]);
    expect(await fingerprintTree(source)).toBe(before);
  }, 120_000);

  it('reopens a dataset killed mid-import with exactly the images its journaled batches held, then finishes it', async () => {
    const source = path.join(temp.dir, 'batches');
    const target = path.join(temp.dir, 'batches-dataset');
    await mkdir(source);
    await writePngs(source, IMAGE_COUNT, { size: 160 });
    const killed = await runChild(source, target, undefined, 10);
    expect(killed.killed).toBe(true);
    const printed = killed.output.split('\n').find((line) => line.startsWith('images '));
    const atKill = JSON.parse(printed?.slice('images '.length) ?? '[]') as { file: string }[];
    expect(atKill.length).toBeGreaterThanOrEqual(10);
    // The images were journaled in batches: lines of several entries, read back by the replay.
    const journal = await readFile(path.join(target, '.civtag', 'journal.jsonl'), 'utf8');
    const batchSizes = journal
      .split('\n')
      .filter((line) => line.includes('"entries":['))
      .map((line) => line.split('"kind":"import-add"').length - 1);
    expect(batchSizes.reduce((sum, size) => sum + size, 0)).toBe(atKill.length);
    expect(Math.max(...batchSizes)).toBeGreaterThan(1);

    const dataset = await openDataset(target);
    try {
      // The replayed state is the one the killed process had when the batch was durable.
      expect(dataset.images()).toEqual(atKill);
      const rest = await dataset.import(source).done;
      expect(rest).toMatchObject({ state: 'done', failed: 0, done: IMAGE_COUNT });
      expect(dataset.images().map((image) => image.file)).toEqual(
        Array.from(
          { length: IMAGE_COUNT },
          (_, index) => `kill_${String(index + 1).padStart(4, '0')}.png`,
        ),
      );
    } finally {
      await dataset.close();
    }
  }, 120_000);

  it('reports a duplicate met after the resume against its source, and merges its caption into the image kept before the kill', async () => {
    const source = path.join(temp.dir, 'duplicates');
    const target = path.join(temp.dir, 'duplicates-dataset');
    await mkdir(source);
    const [photo] = await writePngs(source, 1);
    const bytes = await readFile(path.join(source, photo ?? ''));
    // `copy of photo.png` sorts first and is kept; `photo.png` is its duplicate, with a caption.
    await writeFile(path.join(source, 'copy of photo.png'), bytes);
    await writeFile(path.join(source, 'photo.png'), bytes);
    await writeFile(path.join(source, 'photo.txt'), '1girl, red hair');
    await rm(path.join(source, photo ?? ''));

    const interrupted = await runChild(source, target, undefined, 1);
    expect(interrupted.killed).toBe(true);
    const dataset = await openDataset(target);
    try {
      const result = await dataset.import(source).done;
      const [kept] = dataset.images();
      expect(dataset.images()).toHaveLength(1);
      expect(kept?.tags).toEqual(['kill_style', '1girl', 'red hair']);
      expect(result.duplicates).toEqual([
        {
          path: path.join(source, 'photo.png'),
          duplicateOf: path.join(source, 'copy of photo.png'),
          tagsMergedInto: { imageId: kept?.id, file: 'kill_0001.png' },
        },
      ]);
    } finally {
      await dataset.close();
    }
    expect(await readFile(path.join(target, 'kill_0001.txt'), 'utf8')).toBe(
      'kill_style, 1girl, red hair',
    );
  }, 120_000);
});
