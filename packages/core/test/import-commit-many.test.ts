import { access, mkdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { openSession } from '@civtag/session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangePipeline } from '../src/change-pipeline.js';
import { datasetSessionOptions } from '../src/dataset-session.js';
import type { DatasetEntry } from '../src/entry-schema.js';
import { createDataset, openDataset } from '../src/index.js';
import { createReducer } from '../src/reduce-entry.js';
import { makeTempDir, writePngs } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };
let target: string;

beforeEach(async () => {
  temp = await makeTempDir('commit-many');
  target = path.join(temp.dir, 'dataset');
  const source = path.join(temp.dir, 'source');
  await mkdir(source);
  await writePngs(source, 3);
  const dataset = await createDataset(target, { prefix: 'many' });
  await dataset.import(source).done;
  await dataset.close();
});
afterEach(() => temp.remove());

/** The dataset's session and pipeline, as the import's batches use them. */
async function openPipeline(): Promise<ChangePipeline> {
  const session = await openSession(
    datasetSessionOptions(path.join(target, '.civtag'), {
      initial: () => {
        throw new Error('the dataset has a saved state');
      },
      reduce: createReducer(),
    }),
  );
  return new ChangePipeline(target, session);
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('a batch of entries through the change pipeline (commitMany)', () => {
  it('announces each entry, puts files and captions where the last state says, and replays to the same state', async () => {
    const pipeline = await openPipeline();
    const [first, second, third] = Object.values(pipeline.state.images).map((image) => image.id);
    const announced: number[] = [];
    pipeline.events.on('change', (change) => announced.push(change.revision));
    const before = pipeline.session.revision;
    const entries: DatasetEntry[] = [
      {
        kind: 'op',
        op: { type: 'add', target: { ids: [first ?? ''] }, tags: ['red'] },
        origin: 'op',
      },
      { kind: 'op', op: { type: 'exclude', target: { ids: [first ?? ''] } }, origin: 'op' },
      {
        kind: 'op',
        op: { type: 'add', target: { ids: [second ?? ''] }, tags: ['blue'] },
        origin: 'op',
      },
      { kind: 'op', op: { type: 'restore', target: { ids: [first ?? ''] } }, origin: 'op' },
      { kind: 'op', op: { type: 'exclude', target: { ids: [third ?? ''] } }, origin: 'op' },
      {
        kind: 'op',
        op: { type: 'remove', target: { ids: ['no-such-image'] }, tags: ['x'] },
        origin: 'op',
      },
    ];
    const { outcomes, written } = await pipeline.commitMany(entries);
    await written;
    expect(outcomes.map((outcome) => outcome.applied)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(announced).toEqual([1, 2, 3, 4, 5].map((step) => before + step));
    // The first image went out and came back within the batch: it stays in place, captioned.
    expect(await readFile(path.join(target, 'many_0001.txt'), 'utf8')).toBe('red');
    expect(await exists(path.join(target, 'many_0001.png'))).toBe(true);
    expect(await readFile(path.join(target, 'many_0002.txt'), 'utf8')).toBe('blue');
    // The third went out for good: its file is in the trash, not beside the others.
    expect(await exists(path.join(target, 'many_0003.png'))).toBe(false);
    expect(await exists(path.join(target, '.civtag', 'trash', 'many_0003.png'))).toBe(true);
    const live = structuredClone(pipeline.state);
    // Closed as a crash would leave it: the batch is only in the journal.
    await unlink(path.join(target, '.civtag', 'lock'));
    await pipeline.session.close().catch(() => undefined);
    const reopened = await openDataset(target);
    try {
      expect(
        reopened.images().map(({ file, tags, excluded, rev }) => ({ file, tags, excluded, rev })),
      ).toEqual(
        Object.values(live.images).map(({ file, tags, excluded, rev }) => ({
          file,
          tags,
          excluded,
          rev,
        })),
      );
    } finally {
      await reopened.close();
    }
  });
});
