import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDataset, type Dataset, openDataset } from '../src/index.js';
import { makeTempDir, writePngs } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };
let source: string;
let target: string;
const open: Dataset[] = [];

async function importPhotos(
  count: number,
  options: { triggerWord?: string } = {},
): Promise<Dataset> {
  await writePngs(source, count);
  const dataset = await createDataset(target, { prefix: 'sakura', ...options });
  open.push(dataset);
  const job = dataset.import(source);
  const result = await job.done;
  expect(result.state).toBe('done');
  return dataset;
}

beforeEach(async () => {
  temp = await makeTempDir('dataset');
  source = path.join(temp.dir, 'photos');
  target = path.join(temp.dir, 'dataset');
  await mkdir(source);
});

afterEach(async () => {
  for (const dataset of open.splice(0)) await dataset.close();
  await temp.remove();
});

describe('a dataset', () => {
  it('imports images under contiguous names, with captions from files beside the sources', async () => {
    await writePngs(source, 3);
    await writeFile(path.join(source, 'photo-02.txt'), 'cat, \\(smile\\), long_hair\r\nalt line\n');
    const dataset = await createDataset(target, { prefix: 'sakura', triggerWord: 'sakura_style' });
    open.push(dataset);
    expect(dataset.tagStats()).toEqual([]);
    const progress: number[] = [];
    dataset.on('progress', (value) => progress.push(value.done));
    const result = await dataset.import(source).done;
    expect(result).toMatchObject({ state: 'done', done: 3, total: 3, failed: 0 });
    expect(progress.at(-1)).toBe(3);
    // Its pace: how long it took, and nothing left.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(result.remainingMs).toBe(0);
    expect(dataset.images().map((image) => image.file)).toEqual([
      'sakura_0001.png',
      'sakura_0002.png',
      'sakura_0003.png',
    ]);
    expect(dataset.imageCount).toBe(3);
    const second = dataset.images()[1];
    expect(second?.tags).toEqual(['sakura_style', 'cat', '(smile)', 'long_hair']);
    // The import picked the tag style of the captions it found (underscores, escaped
    // parentheses), so the caption is written back the way it was written.
    expect(dataset.settings.tagStyle).toEqual({ separator: 'underscore', escapeParentheses: true });
    expect(await readFile(path.join(target, 'sakura_0002.txt'), 'utf8')).toBe(
      'sakura_style, cat, \\(smile\\), long_hair\nalt line',
    );
    expect(await readFile(path.join(target, 'sakura_0001.txt'), 'utf8')).toBe('sakura_style');
    // Counts kept up to date as images arrive.
    expect(dataset.tagStats()).toEqual([
      { tag: 'sakura_style', count: 3 },
      { tag: '(smile)', count: 1 },
      { tag: 'cat', count: 1 },
      { tag: 'long_hair', count: 1 },
    ]);
    // The same counts over the images a filter matches: what the tag list shows beside them.
    expect(dataset.tagStatsMatching('cat')).toEqual([
      { tag: '(smile)', count: 1 },
      { tag: 'cat', count: 1 },
      { tag: 'long_hair', count: 1 },
      { tag: 'sakura_style', count: 1 },
    ]);
    expect(dataset.tagStatsMatching('NOT cat')).toEqual([{ tag: 'sakura_style', count: 2 }]);
    expect(dataset.tagStatsMatching(' ')).toEqual(dataset.tagStats());
    expect(() => dataset.tagStatsMatching('tags<')).toThrow(/tags/);
    expect(existsSync(path.join(target, '.civtag', 'thumbs', `${second?.hash}.webp`))).toBe(true);
    const thumbnail = path.join(target, '.civtag', 'thumbs', `${second?.hash}.webp`);
    const cached = await readFile(thumbnail);
    expect(Buffer.from(await dataset.thumbnail(second?.id ?? '')).equals(cached)).toBe(true);
    // A thumbnail missing from the cache is made again.
    await rm(thumbnail);
    expect((await dataset.thumbnail(second?.id ?? '')).byteLength).toBeGreaterThan(0);
    expect(existsSync(thumbnail)).toBe(true);
  });

  it('writes an op to the captions, applies a resent op once, and keeps undo across a restart', async () => {
    const dataset = await importPhotos(2);
    const [first, second] = dataset.images();
    const change = await dataset.apply(
      { type: 'add', target: { all: true }, tags: ['blue sky'] },
      { clientId: 'tab-1', opId: 'op-1' },
    );
    expect(change).toMatchObject({
      revision: dataset.revision,
      origin: 'op',
      clientId: 'tab-1',
      duplicate: false,
    });
    expect(change.changes.map((each) => each.imageId).sort()).toEqual(
      [first?.id, second?.id].sort(),
    );
    expect(await readFile(path.join(target, 'sakura_0001.txt'), 'utf8')).toBe('blue sky');
    const again = await dataset.apply(
      { type: 'add', target: { all: true }, tags: ['blue sky'] },
      { clientId: 'tab-1', opId: 'op-1' },
    );
    expect(again).toMatchObject({ revision: change.revision, duplicate: true });
    await dataset.apply({ type: 'set', imageId: first?.id ?? '', tags: ['red'] });
    expect(dataset.canUndo()).toBe(true);
    await dataset.close();

    const reopened = await openDataset(target);
    open.push(reopened);
    expect(reopened.image(first?.id ?? '')?.tags).toEqual(['red']);
    // The op id is remembered across the restart too.
    const resent = await reopened.apply(
      { type: 'add', target: { all: true }, tags: ['blue sky'] },
      { clientId: 'tab-1', opId: 'op-1' },
    );
    expect(resent).toMatchObject({ revision: change.revision, duplicate: true });
    expect(reopened.image(first?.id ?? '')?.tags).toEqual(['red']);
    const undone = await reopened.undo();
    expect(undone.origin).toBe('undo');
    // What was undone is said, and survives the restart (the history is in the snapshot).
    expect(undone.description).toBe('set the tags of 1 image');
    expect(reopened.image(first?.id ?? '')?.tags).toEqual(['blue sky']);
    expect(await readFile(path.join(target, 'sakura_0001.txt'), 'utf8')).toBe('blue sky');
    expect((await reopened.redo()).description).toBe('set the tags of 1 image');
    expect(reopened.image(first?.id ?? '')?.tags).toEqual(['red']);
    expect(reopened.tagStats()).toEqual([
      { tag: 'blue sky', count: 1 },
      { tag: 'red', count: 1 },
    ]);
  });

  it('tells the caller the op is durable before its caption is written, then writes it', async () => {
    const dataset = await importPhotos(1);
    const [image] = dataset.images();
    const caption = path.join(target, 'sakura_0001.txt');
    const seen: { revision: number; captionExists: boolean }[] = [];
    const applied = await dataset.apply(
      { type: 'add', target: { all: true }, tags: ['cherry blossoms'] },
      {
        onDurable: (change) =>
          seen.push({ revision: change.revision, captionExists: existsSync(caption) }),
      },
    );
    expect(seen).toEqual([{ revision: applied.revision, captionExists: false }]);
    expect(readFileSync(caption, 'utf8')).toBe('cherry blossoms');
    expect(dataset.image(image?.id ?? '')?.tags).toEqual(['cherry blossoms']);
  });

  it('moves an excluded image and its caption to the trash, and restore brings them back', async () => {
    const dataset = await importPhotos(2);
    const first = dataset.images()[0];
    await dataset.apply({ type: 'add', target: { all: true }, tags: ['cat'] });
    await dataset.apply({ type: 'exclude', target: { ids: [first?.id ?? ''] } });
    expect(existsSync(path.join(target, 'sakura_0001.png'))).toBe(false);
    expect(existsSync(path.join(target, '.civtag', 'trash', 'sakura_0001.png'))).toBe(true);
    expect(existsSync(path.join(target, '.civtag', 'trash', 'sakura_0001.txt'))).toBe(true);
    expect(dataset.imagePath(first?.id ?? '')).toBe(
      path.join(target, '.civtag', 'trash', 'sakura_0001.png'),
    );
    expect(dataset.tagStats()).toEqual([{ tag: 'cat', count: 1 }]);
    await dataset.undo();
    expect(existsSync(path.join(target, 'sakura_0001.png'))).toBe(true);
    expect(await readFile(path.join(target, 'sakura_0001.txt'), 'utf8')).toBe('cat');
    expect(existsSync(path.join(target, '.civtag', 'trash', 'sakura_0001.png'))).toBe(false);
  });

  it('puts image files back where the state says on open (a crash between journal and move)', async () => {
    const dataset = await importPhotos(2);
    const [first, second] = dataset.images();
    await dataset.apply({ type: 'add', target: { all: true }, tags: ['cat'] });
    await dataset.apply({ type: 'exclude', target: { ids: [first?.id ?? ''] } });
    await dataset.close();
    const trash = path.join(target, '.civtag', 'trash');
    const { rename } = await import('node:fs/promises');
    await rename(path.join(trash, 'sakura_0001.png'), path.join(target, 'sakura_0001.png'));
    await rename(path.join(target, 'sakura_0002.png'), path.join(trash, 'sakura_0002.png'));
    const reopened = await openDataset(target);
    open.push(reopened);
    await reopened.reconciled();
    expect(existsSync(path.join(trash, 'sakura_0001.png'))).toBe(true);
    expect(existsSync(path.join(target, 'sakura_0001.png'))).toBe(false);
    expect(existsSync(path.join(target, 'sakura_0002.png'))).toBe(true);
    expect(reopened.image(second?.id ?? '')?.excluded).toBe(false);
    const report = await reopened.check();
    expect(report.problems.map((problem) => problem.code)).not.toContain('FILE_MISSING');
  });

  it('pages through images by cursor, filtered by a query', async () => {
    const dataset = await importPhotos(5);
    const ids = dataset.images().map((image) => image.id);
    await dataset.apply({
      type: 'add',
      target: { ids: [ids[0] ?? '', ids[2] ?? '', ids[4] ?? ''] },
      tags: ['cat'],
    });
    const first = dataset.query({ q: 'cat', limit: 2 });
    expect(first.images.map((image) => image.id)).toEqual([ids[0], ids[2]]);
    expect(first.total).toBe(3);
    expect(first.nextCursor).not.toBeNull();
    const second = dataset.query({ q: 'cat', limit: 2, cursor: first.nextCursor ?? '' });
    expect(second.images.map((image) => image.id)).toEqual([ids[4]]);
    expect(second.nextCursor).toBeNull();
    expect(dataset.query({}).images).toHaveLength(5);
    expect(() => dataset.query({ limit: 0 })).toThrow(CivtagError);
    // The n-th match as a cursor: the page that starts at the last cat.
    const positions = dataset.matchPositions('cat');
    expect([...positions]).toEqual([0, 2, 4]);
    expect(dataset.query({ q: 'cat', cursor: String(positions[2]) }).images[0]?.id).toBe(ids[4]);
    expect([...dataset.matchPositions(' ')]).toEqual([0, 1, 2, 3, 4]);
    expect(() => dataset.matchPositions('solo )')).toThrow(CivtagError);
  });

  it('reports changes since a revision for clients that missed them', async () => {
    const dataset = await importPhotos(1);
    const start = dataset.revision;
    const id = dataset.images()[0]?.id ?? '';
    await dataset.apply({ type: 'set', imageId: id, tags: ['a'] });
    await dataset.apply({ type: 'set', imageId: id, tags: ['b'] });
    const since = dataset.changesSince(start);
    expect(since.reload).toBe(false);
    if (since.reload) return;
    expect(since.changes.map((change) => change.changes[0]?.tags)).toEqual([['a'], ['b']]);
  });

  it('refuses a bad op with VALIDATION and an unknown image with NOT_FOUND, changing nothing', async () => {
    const dataset = await importPhotos(1);
    const revision = dataset.revision;
    await expect(
      dataset.apply({ type: 'add', target: { all: true }, tags: [] } as never),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(
      dataset.apply({ type: 'set', imageId: 'missing', tags: ['a'] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(dataset.undo()).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(dataset.revision).toBe(revision);
  });

  it('will not create a dataset over an existing one, nor open a folder without one', async () => {
    const dataset = await createDataset(target, { prefix: 'sakura' });
    open.push(dataset);
    await expect(createDataset(target, { prefix: 'sakura' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // The state is made in a staging folder and renamed into place: nothing else is left.
    expect(await readdir(target)).toEqual(['.civtag']);
    await expect(openDataset(source)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      createDataset(path.join(temp.dir, 'other'), { prefix: 'bad prefix!' }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('is held by one opener at a time: a second open is refused with SESSION_LOCKED', async () => {
    const dataset = await createDataset(target, { prefix: 'sakura' });
    open.push(dataset);
    await expect(openDataset(target)).rejects.toMatchObject({ code: 'SESSION_LOCKED' });
    await dataset.close();
    await expect(
      dataset.apply({ type: 'add', target: { all: true }, tags: ['a'] }),
    ).rejects.toMatchObject({
      code: 'SESSION_CLOSED',
    });
    const again = await openDataset(target);
    open.push(again);
    expect(again.id).toBe(dataset.id);
  });

  it('reports duplicates by content with both paths, and skips files it imported before', async () => {
    await writePngs(source, 2);
    await writeFile(
      path.join(source, 'copy.png'),
      await readFile(path.join(source, 'photo-01.png')),
    );
    const dataset = await createDataset(target, { prefix: 'sakura' });
    open.push(dataset);
    const first = await dataset.import(source).done;
    expect(first.duplicates).toEqual([
      { path: path.join(source, 'photo-01.png'), duplicateOf: path.join(source, 'copy.png') },
    ]);
    expect(dataset.images()).toHaveLength(2);
    await writePngs(source, 3);
    const second = await dataset.import(source).done;
    // Files the first import took, and the duplicate it reported, are skipped silently.
    expect(second.duplicates).toEqual([]);
    expect(second).toMatchObject({ state: 'done', total: 4, done: 4 });
    expect(dataset.images().map((image) => image.file)).toEqual([
      'sakura_0001.png',
      'sakura_0002.png',
      'sakura_0003.png',
    ]);
  });

  it("keeps every duplicate's caption: the kept image gets the union of their tags, and the report says so", async () => {
    const [photo] = await writePngs(source, 1);
    const bytes = await readFile(path.join(source, photo ?? ''));
    // In name order: the kept copy has no caption, the two after it have one each.
    await writeFile(path.join(source, 'copy of photo.png'), bytes);
    await writeFile(path.join(source, 'photo (2).png'), bytes);
    await writeFile(path.join(source, 'photo (2).txt'), 'red hair, smile');
    await writeFile(path.join(source, 'photo.png'), bytes);
    await writeFile(path.join(source, 'photo.txt'), '1girl, red hair');
    await rm(path.join(source, photo ?? ''));
    const dataset = await createDataset(target, { prefix: 'sakura', triggerWord: 'sakura_style' });
    open.push(dataset);
    const result = await dataset.import(source).done;
    const [kept] = dataset.images();
    expect(dataset.images()).toHaveLength(1);
    expect(kept?.tags).toEqual(['sakura_style', 'red hair', 'smile', '1girl']);
    expect(await readFile(path.join(target, 'sakura_0001.txt'), 'utf8')).toBe(
      'sakura_style, red hair, smile, 1girl',
    );
    const mergedInto = { imageId: kept?.id, file: 'sakura_0001.png' };
    expect(result.duplicates).toEqual([
      {
        path: path.join(source, 'photo (2).png'),
        duplicateOf: path.join(source, 'copy of photo.png'),
        tagsMergedInto: mergedInto,
      },
      {
        path: path.join(source, 'photo.png'),
        duplicateOf: path.join(source, 'copy of photo.png'),
        tagsMergedInto: mergedInto,
      },
    ]);
  });

  it('does not merge a duplicate again when the same folder is imported again, so tags removed since stay removed', async () => {
    const [photo] = await writePngs(source, 1);
    await writeFile(
      path.join(source, 'z copy.png'),
      await readFile(path.join(source, photo ?? '')),
    );
    await writeFile(path.join(source, 'z copy.txt'), 'red hair');
    const dataset = await createDataset(target, { prefix: 'sakura' });
    open.push(dataset);
    await dataset.import(source).done;
    const [kept] = dataset.images();
    expect(kept?.tags).toEqual(['red hair']);
    await dataset.apply({ type: 'remove', target: { all: true }, tags: ['red hair'] });

    const again = await dataset.import(source).done;
    expect(again.state).toBe('done');
    expect(dataset.images()[0]?.tags).toEqual([]);
    expect(existsSync(path.join(target, 'sakura_0001.txt'))).toBe(false);
  });

  it('merges the caption of a duplicate of an image already in the dataset as an undoable edit', async () => {
    const dataset = await importPhotos(1);
    const [image] = dataset.images();
    const later = path.join(temp.dir, 'later');
    await mkdir(later);
    await writeFile(
      path.join(later, 'same.png'),
      await readFile(path.join(source, 'photo-01.png')),
    );
    await writeFile(path.join(later, 'same.txt'), '1girl, red hair');
    const result = await dataset.import(later).done;
    expect(result.duplicates).toEqual([
      {
        path: path.join(later, 'same.png'),
        duplicateOf: path.join(target, 'sakura_0001.png'),
        tagsMergedInto: { imageId: image?.id, file: 'sakura_0001.png' },
      },
    ]);
    expect(dataset.image(image?.id ?? '')?.tags).toEqual(['1girl', 'red hair']);
    expect(await readFile(path.join(target, 'sakura_0001.txt'), 'utf8')).toBe('1girl, red hair');
    await dataset.undo();
    expect(dataset.image(image?.id ?? '')?.tags).toEqual([]);
    expect(existsSync(path.join(target, 'sakura_0001.txt'))).toBe(false);
  });

  it('never overwrites a file it did not make: the number is skipped', async () => {
    await mkdir(target, { recursive: true });
    await writeFile(path.join(target, 'sakura_0002.png'), 'not civtag');
    const dataset = await importPhotos(2);
    expect(dataset.images().map((image) => image.file)).toEqual([
      'sakura_0001.png',
      'sakura_0003.png',
    ]);
    expect(await readFile(path.join(target, 'sakura_0002.png'), 'utf8')).toBe('not civtag');
  });

  it('refuses to import from a missing folder or from inside the dataset', async () => {
    const dataset = await createDataset(target, { prefix: 'sakura' });
    open.push(dataset);
    await expect(dataset.import(path.join(temp.dir, 'nowhere')).done).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const inside = dataset.import(path.join(target, '.civtag'));
    await expect(inside.done).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(inside.progress().state).toBe('failed');
    expect(dataset.images()).toEqual([]);
  });

  it('cancels an import through its AbortSignal; what was imported stays', async () => {
    await writePngs(source, 12);
    const dataset = await createDataset(target, { prefix: 'sakura' });
    open.push(dataset);
    const controller = new AbortController();
    dataset.on('change', (change) => {
      if ((change.added?.length ?? 0) > 0) controller.abort();
    });
    const job = dataset.import(source, { signal: controller.signal });
    const result = await job.done;
    expect(result.state).toBe('cancelled');
    expect(dataset.images()).toHaveLength(1);
    const rest = await dataset.import(source).done;
    expect(rest.state).toBe('done');
    expect(dataset.images()).toHaveLength(12);
  });
});
