import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Change, createDataset, type Dataset } from '../src/index.js';
import { makeTempDir, writePngs } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };
let target: string;
let dataset: Dataset | undefined;

beforeEach(async () => {
  temp = await makeTempDir('edit-meets-op');
  const source = path.join(temp.dir, 'photos');
  target = path.join(temp.dir, 'dataset');
  await mkdir(source);
  await writePngs(source, 2);
  dataset = await createDataset(target, { prefix: 'race' });
  await dataset.import(source).done;
  await dataset.apply({ type: 'add', target: { all: true }, tags: ['cat', 'sky'] });
});

afterEach(async () => {
  await dataset?.close();
  await temp.remove();
});

/** Pauses between the edit and the op: within the watcher's quiet time, and just past it. */
const DELAYS_MS = [0, 0, 0, 5, 20, 50, 100, 200, 250, 300];
const ROUNDS = 20;

describe('a caption edited just before an op on the same image', () => {
  it('is taken in as an external change and merged with the op, never written over', async () => {
    const open = dataset as Dataset;
    const changes: Change[] = [];
    open.on('change', (change) => changes.push(change));
    const image = open.images()[0];
    const id = image?.id ?? '';
    const file = path.join(target, 'race_0001.txt');
    for (let round = 0; round < ROUNDS; round += 1) {
      const before = open.image(id)?.tags ?? [];
      const fromRound = changes.length;
      // The edit drops the first tag and adds one; the op adds another.
      const edited = [...before.slice(1), `edit ${round}`];
      await writeFile(file, `${edited.join(', ')}\n`);
      const delay = DELAYS_MS[round % DELAYS_MS.length] as number;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      await open.apply({ type: 'add', target: { ids: [id] }, tags: [`op ${round}`] });
      const expected = [...edited, `op ${round}`];
      await vi.waitFor(
        async () => {
          expect(open.image(id)?.tags).toEqual(expected);
          expect(await readFile(file, 'utf8')).toBe(expected.join(', '));
        },
        { timeout: 5000, interval: 25 },
      );
      const external = changes
        .slice(fromRound)
        .filter((change) => change.origin === 'external')
        .flatMap((change) => change.changes)
        .filter((change) => change.imageId === id);
      expect(external.some((change) => change.tags.includes(`edit ${round}`))).toBe(true);
      expect(external.every((change) => !change.tags.includes(before[0] as string))).toBe(true);
    }
    // The other image was not touched by any of it.
    expect(open.images()[1]?.tags).toEqual(['cat', 'sky']);
    expect(await readFile(path.join(target, 'race_0002.txt'), 'utf8')).toBe('cat, sky');
  }, 60_000);
});
