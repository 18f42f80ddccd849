import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeColourImage, TEST_COLOURS, writeTestTagger } from '@civtag/autotag/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AutoTagProgress, createDataset, openDataset } from '../src/index.js';
import { bundleScript } from './bundle-script.js';
import { makeTempDir } from './fixtures.js';

const IMAGE_COUNT = 24;
let temp: { dir: string; remove: () => Promise<void> };
let child: string;
let taggerFolder: string;

beforeAll(async () => {
  temp = await makeTempDir('autotag-kill');
  child = path.join(temp.dir, 'auto-tag-child.mjs');
  await bundleScript(fileURLToPath(new URL('./auto-tag-child.ts', import.meta.url)), child, [
    'autotag',
  ]);
  taggerFolder = (await writeTestTagger(path.join(temp.dir, 'tagger'))).folder;
});

afterAll(async () => {
  await temp.remove();
});

/** Runs the child to its end, or until it kills itself at `dieAt` images scored. */
function runChild(
  target: string,
  dieAt?: number,
): Promise<{ killed: boolean; result?: AutoTagProgress; output: string }> {
  return new Promise((resolve, reject) => {
    const args = [child, target, taggerFolder, ...(dieAt === undefined ? [] : [`${dieAt}`])];
    const process = spawn('node', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    process.stdout.on('data', (data: Buffer) => {
      output += data.toString();
    });
    process.stderr.on('data', (data: Buffer) => {
      output += data.toString();
    });
    process.on('error', reject);
    process.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') return resolve({ killed: true, output });
      if (code !== 0) return reject(new Error(`auto-tag child exited with ${code}: ${output}`));
      const line = output.split('\n').find((text) => text.startsWith('result '));
      if (line === undefined) return reject(new Error(`no result from the child: ${output}`));
      resolve({ killed: false, result: JSON.parse(line.slice('result '.length)), output });
    });
  });
}

async function captions(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith('.txt')) files.set(name, await readFile(path.join(dir, name), 'latin1'));
  }
  return files;
}

it('scores every image exactly once when a job is killed and run again, captions untouched', async () => {
  const source = path.join(temp.dir, 'photos');
  const target = path.join(temp.dir, 'dataset');
  await mkdir(source);
  const colours = [TEST_COLOURS.red, TEST_COLOURS.blue, TEST_COLOURS.green];
  for (let index = 0; index < IMAGE_COUNT; index += 1) {
    const image = await makeColourImage(colours[index % 3] as (typeof colours)[number], {
      width: 40 + index,
    });
    await writeFile(path.join(source, `photo-${String(index).padStart(2, '0')}.png`), image);
  }
  await writeFile(path.join(source, 'photo-01.txt'), 'hand, made');
  const created = await createDataset(target, { prefix: 'kill' });
  await created.import(source).done;
  await created.close();
  const before = await captions(target);

  const first = await runChild(target, 3);
  expect(first.killed).toBe(true);
  let dataset = await openDataset(target);
  const scoredBeforeKill = dataset.images().filter((image) => image.proposals !== undefined);
  await dataset.close();
  // The batches journaled before the kill (1, then 2 images) are kept; nothing after them.
  expect(scoredBeforeKill.length).toBe(3);

  const second = await runChild(target);
  expect(second.result).toMatchObject({
    state: 'done',
    total: IMAGE_COUNT - 3,
    scored: IMAGE_COUNT - 3,
    skipped: 3,
    failed: [],
  });
  dataset = await openDataset(target);
  const images = dataset.images();
  expect(images.filter((image) => image.proposals !== undefined)).toHaveLength(IMAGE_COUNT);
  const blue = images.filter((_, index) => index % 3 === 1);
  for (const image of blue)
    expect(image.proposals?.map((proposal) => proposal.tag)).toContain('blue');
  await dataset.close();
  expect(await captions(target)).toEqual(before);

  const third = await runChild(target);
  expect(third.result).toMatchObject({ scored: 0, skipped: IMAGE_COUNT });
  // Three child processes, each loading onnxruntime and sharp: seconds on a busy machine.
}, 60_000);
