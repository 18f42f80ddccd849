import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Change,
  createDataset,
  type Dataset,
  type ExternalEdit,
  openDataset,
} from '../src/index.js';
import { makeTempDir, writePngs } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };
let target: string;
let dataset: Dataset | undefined;

beforeEach(async () => {
  temp = await makeTempDir('external');
  const source = path.join(temp.dir, 'photos');
  target = path.join(temp.dir, 'dataset');
  await mkdir(source);
  await writePngs(source, 3);
  dataset = await createDataset(target, { prefix: 'edit' });
  await dataset.import(source).done;
  await dataset.apply({ type: 'add', target: { all: true }, tags: ['cat', 'sky'] });
});

afterEach(async () => {
  await dataset?.close();
  await temp.remove();
});

describe('captions edited outside civtag', () => {
  it('become an external op within seconds while the dataset is open, and can be undone', async () => {
    const open = dataset as Dataset;
    const edits: ExternalEdit[] = [];
    const changes: Change[] = [];
    open.on('external-edit', (edit) => edits.push(edit));
    open.on('change', (change) => changes.push(change));
    const image = open.images()[1];
    await writeFile(path.join(target, 'edit_0002.txt'), 'cat, dog\n');
    await vi.waitFor(() => expect(open.image(image?.id ?? '')?.tags).toEqual(['cat', 'dog']), {
      timeout: 5000,
      interval: 50,
    });
    expect(edits).toEqual([
      expect.objectContaining({
        imageId: image?.id,
        file: 'edit_0002.txt',
        before: ['cat', 'sky'],
        after: ['cat', 'dog'],
      }),
    ]);
    expect(changes.at(-1)?.origin).toBe('external');
    await open.undo();
    expect(open.image(image?.id ?? '')?.tags).toEqual(['cat', 'sky']);
    expect(await readFile(path.join(target, 'edit_0002.txt'), 'utf8')).toBe('cat, sky');
  });

  it('are not mistaken for edits when civtag writes them itself', async () => {
    const open = dataset as Dataset;
    const edits: ExternalEdit[] = [];
    open.on('external-edit', (edit) => edits.push(edit));
    for (let round = 0; round < 5; round += 1) {
      await open.apply({ type: 'add', target: { all: true }, tags: [`round ${round}`] });
    }
    const marker = open.images()[0]?.id ?? '';
    await writeFile(path.join(target, 'edit_0001.txt'), 'marker');
    await vi.waitFor(() => expect(open.image(marker)?.tags).toEqual(['marker']), {
      timeout: 5000,
      interval: 50,
    });
    expect(edits.map((edit) => edit.imageId)).toEqual([marker]);
  });

  it.each([
    ['written in place', (file: string, text: string) => writeFile(file, text)],
    [
      'saved through a file of its own and renamed over it',
      async (file: string, text: string) => {
        await writeFile(`${file}~`, text);
        await rename(`${file}~`, file);
      },
    ],
  ])('become an external op when %s right after civtag wrote them', async (_how, save) => {
    const open = dataset as Dataset;
    const edits: ExternalEdit[] = [];
    open.on('external-edit', (edit) => edits.push(edit));
    const image = open.images()[1];
    await open.apply({ type: 'add', target: { all: true }, tags: ['fresh'] });
    await open.captionsWritten();
    const file = path.join(target, 'edit_0002.txt');
    expect(await readFile(file, 'utf8')).toBe('cat, sky, fresh');
    await save(file, 'cat, sky, fresh, dog');
    await vi.waitFor(
      () => expect(open.image(image?.id ?? '')?.tags).toEqual(['cat', 'sky', 'fresh', 'dog']),
      { timeout: 5000, interval: 50 },
    );
    expect(edits.map((edit) => edit.imageId)).toEqual([image?.id]);
  });

  it('keep permission bits another program gave them between two of civtag’s writes', async () => {
    const open = dataset as Dataset;
    const file = path.join(target, 'edit_0001.txt');
    await open.apply({ type: 'add', target: { all: true }, tags: ['first'] });
    await open.captionsWritten();
    const before = (await stat(file)).mode & 0o777;
    const changed = before === 0o600 ? 0o640 : 0o600;
    await chmod(file, changed);
    // An edit after the chmod: once it is taken in, the watcher has seen the chmod too.
    const marker = open.images()[2]?.id ?? '';
    await writeFile(path.join(target, 'edit_0003.txt'), 'marker');
    await vi.waitFor(() => expect(open.image(marker)?.tags).toEqual(['marker']), {
      timeout: 5000,
      interval: 50,
    });
    await open.apply({ type: 'add', target: { all: true }, tags: ['second'] });
    await open.captionsWritten();
    expect(await readFile(file, 'utf8')).toBe('cat, sky, first, second');
    expect((await stat(file)).mode & 0o777).toBe(changed);
  });

  it('keep permission bits another program gave them while civtag was closed', async () => {
    const closed = dataset as Dataset;
    const file = path.join(target, 'edit_0001.txt');
    const before = (await stat(file)).mode & 0o777;
    const changed = before === 0o600 ? 0o640 : 0o600;
    await closed.close();
    await chmod(file, changed);
    dataset = await openDataset(target);
    await dataset.reconciled();
    await dataset.apply({ type: 'add', target: { all: true }, tags: ['after open'] });
    await dataset.captionsWritten();
    expect(await readFile(file, 'utf8')).toBe('cat, sky, after open');
    expect((await stat(file)).mode & 0o777).toBe(changed);
    expect((await stat(path.join(target, 'edit_0002.txt'))).mode & 0o777).toBe(before);
  });

  it('are recognised as its own on the next open, not taken for edits', async () => {
    const open = dataset as Dataset;
    for (let round = 0; round < 3; round += 1) {
      await open.apply({ type: 'add', target: { all: true }, tags: [`round ${round}`] });
    }
    const revision = open.revision;
    const tags = open.images().map((image) => image.tags);
    await open.close();
    dataset = await openDataset(target);
    expect(dataset.revision).toBe(revision);
    expect(dataset.changesSince(revision)).toEqual({ reload: false, changes: [] });
    expect(dataset.images().map((image) => image.tags)).toEqual(tags);
    expect(await readFile(path.join(target, 'edit_0001.txt'), 'utf8')).toBe(
      'cat, sky, round 0, round 1, round 2',
    );
  });

  it('become an external op on the next open when edited while closed', async () => {
    const closed = dataset as Dataset;
    const image = closed.images()[2];
    const revision = closed.revision;
    await closed.close();
    await writeFile(path.join(target, 'edit_0003.txt'), '\uFEFFsunset, beach\r\nsecond line\r\n');
    // Only formatting changed: not an edit.
    await writeFile(path.join(target, 'edit_0001.txt'), 'cat,sky,');
    dataset = await openDataset(target);
    // Open serves at once, with the state as saved; the files are compared in the background.
    expect(dataset.image(image?.id ?? '')?.tags).toEqual(image?.tags);
    expect(dataset.revision).toBe(revision);
    await dataset.reconciled();
    expect(dataset.image(image?.id ?? '')?.tags).toEqual(['sunset', 'beach']);
    expect(dataset.revision).toBe(revision + 1);
    const since = dataset.changesSince(revision);
    expect(since.reload === false && since.changes.map((change) => change.origin)).toEqual([
      'external',
    ]);
    expect(dataset.canUndo()).toBe(true);
    await dataset.undo();
    expect(dataset.image(image?.id ?? '')?.tags).toEqual(['cat', 'sky']);
  });
});

describe('a caption that lags behind the journal', () => {
  it('is rewritten on open, not taken for an outside edit', async () => {
    const open = dataset as Dataset;
    const image = open.images()[0];
    await open.close();
    dataset = undefined;
    // What a crash between the journal append and the caption write leaves: the journal
    // holds the op, the caption file still holds what civtag wrote before.
    const { openSession } = await import('@civtag/session');
    const { datasetSessionOptions } = await import('../src/dataset-session.js');
    const { createReducer } = await import('../src/reduce-entry.js');
    const session = await openSession(
      datasetSessionOptions(path.join(target, '.civtag'), {
        initial: () => {
          throw new Error('the dataset exists');
        },
        reduce: createReducer(),
      }),
    );
    await session.apply({
      kind: 'op',
      op: { type: 'set', imageId: image?.id ?? '', tags: ['journalled'] },
      origin: 'op',
    });
    await session.close();
    expect(await readFile(path.join(target, 'edit_0001.txt'), 'utf8')).toBe('cat, sky');

    dataset = await openDataset(target);
    expect(dataset.image(image?.id ?? '')?.tags).toEqual(['journalled']);
    await dataset.reconciled();
    expect(await readFile(path.join(target, 'edit_0001.txt'), 'utf8')).toBe('journalled');
    expect(dataset.canUndo()).toBe(true);
    const since = dataset.changesSince(0);
    expect(since.reload || since.changes.every((change) => change.origin !== 'external')).toBe(
      true,
    );
  });
});
