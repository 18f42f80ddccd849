import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaptionProgress } from '@civtag/api-models';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDataset, type Dataset, openDataset } from '../src/index.js';
import { bundleScript } from './bundle-script.js';
import { makeTempDir, writePngs } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };
let child: string;
const open: Dataset[] = [];

beforeAll(async () => {
  temp = await makeTempDir('captions');
  child = path.join(temp.dir, 'bulk-op-child.mjs');
  await bundleScript(fileURLToPath(new URL('./bulk-op-child.ts', import.meta.url)), child);
});

afterEach(async () => {
  for (const dataset of open.splice(0)) await dataset.close();
});

afterAll(async () => {
  await temp.remove();
});

async function importedDataset(name: string, count: number): Promise<Dataset> {
  const source = path.join(temp.dir, `${name}-source`);
  const target = path.join(temp.dir, name);
  await mkdir(source);
  await writePngs(source, count);
  const dataset = await createDataset(target, { prefix: 'bg' });
  open.push(dataset);
  expect((await dataset.import(source).done).state).toBe('done');
  return dataset;
}

async function caption(dataset: Dataset, file: string): Promise<string> {
  return readFile(path.join(dataset.dir, file.replace(/\.png$/, '.txt')), 'utf8').catch(
    () => '(no caption file)',
  );
}

function waitForCaptions(
  dataset: Dataset,
  done: (progress: CaptionProgress) => boolean,
): Promise<CaptionProgress> {
  return new Promise((resolve) => {
    if (done(dataset.captionProgress())) {
      resolve(dataset.captionProgress());
      return;
    }
    const stop = dataset.on('captions', (progress) => {
      if (!done(progress)) return;
      stop();
      resolve(progress);
    });
  });
}

describe('caption files written behind the journal', () => {
  it('leave the next op free to go on while one caption cannot be written, and are written once it can', async () => {
    const dataset = await importedDataset('blocked', 3);
    const [first, second] = dataset.images();
    if (first === undefined || second === undefined) throw new Error('the import lost images');
    // A folder where the first caption file belongs: its write fails until it is gone.
    const blocker = path.join(dataset.dir, first.file.replace(/\.png$/, '.txt'));
    await mkdir(blocker);

    const durable: number[] = [];
    // The op is durable and applied: it is accepted, its caption pending, not failed.
    const applied = await dataset.apply(
      { type: 'add', target: { ids: [first.id] }, tags: ['blue sky'] },
      { onDurable: (change) => durable.push(change.revision) },
    );
    expect(applied.captionsPending).toBe(1);
    expect(durable).toHaveLength(1);
    expect(dataset.captionProgress()).toMatchObject({ pending: 1, failed: 1 });
    expect(dataset.captionProgress().error?.message).toContain(path.basename(blocker));

    // The change is durable and in the state; another image's op goes through meanwhile.
    await dataset.apply({ type: 'add', target: { ids: [second.id] }, tags: ['cloud'] });
    expect(await caption(dataset, second.file)).toBe('cloud');
    expect(dataset.image(first.id)?.tags).toEqual(['blue sky']);
    expect(dataset.captionProgress().pending).toBe(1);

    await rm(blocker, { recursive: true });
    await waitForCaptions(dataset, (progress) => progress.pending === 0);
    expect(await caption(dataset, first.file)).toBe('blue sky');
    expect(dataset.captionProgress()).toEqual({ pending: 0, failed: 0 });
  });

  it('write each image once with its newest tags when ops follow each other faster than the files', async () => {
    const dataset = await importedDataset('burst', 20);
    const counts: number[] = [];
    dataset.on('captions', (progress) => counts.push(progress.pending));
    const ops = ['one', 'two', 'three', 'four'].map((tag) =>
      dataset.apply({ type: 'add', target: { all: true }, tags: [tag] }),
    );
    await Promise.all(ops);
    expect(dataset.captionProgress()).toEqual({ pending: 0, failed: 0 });
    expect(Math.max(...counts)).toBe(20);
    for (const image of dataset.images()) {
      expect(await caption(dataset, image.file)).toBe('one, two, three, four');
    }
    // Written once each: nothing lags behind on the next open, and nothing was taken for an edit.
    await dataset.close();
    open.splice(open.indexOf(dataset), 1);
    const reopened = await openDataset(dataset.dir);
    open.push(reopened);
    expect(reopened.images().every((image) => image.tags.length === 4)).toBe(true);
    expect((await reopened.undo()).origin).toBe('undo');
    expect(reopened.images().every((image) => image.tags.join() === 'one,two,three')).toBe(true);
  });

  it.runIf(process.platform === 'linux')(
    'reach the watched dataset folder as one rename each, their temporary files kept in .civtag/tmp',
    async () => {
      const dataset = await importedDataset('renamed', 20);
      const scratch = path.join(dataset.dir, '.civtag', 'tmp');
      const events: string[] = [];
      const watcher = watch(dataset.dir, { persistent: false }, (event, name) => {
        events.push(`${event} ${name}`);
      });
      try {
        await dataset.apply({ type: 'add', target: { all: true }, tags: ['renamed'] });
        // inotify reports in order: once a marker written after the captions shows, all did.
        await writeFile(path.join(dataset.dir, 'marker'), '');
        await vi.waitFor(() => expect(events.at(-1)).toMatch(/ marker$/), { timeout: 5000 });
      } finally {
        watcher.close();
      }
      const captions = dataset.images().map((image) => image.file.replace(/\.png$/, '.txt'));
      expect(events.filter((event) => !event.endsWith(' marker')).sort()).toEqual(
        captions.map((name) => `rename ${name}`).sort(),
      );
      expect(await readdir(scratch)).toEqual([]);
      for (const image of dataset.images())
        expect(await caption(dataset, image.file)).toBe('renamed');
    },
  );

  it('are still written when .civtag/tmp is removed while the dataset is open', async () => {
    const dataset = await importedDataset('scratch-removed', 3);
    const scratch = path.join(dataset.dir, '.civtag', 'tmp');
    await dataset.apply({ type: 'add', target: { all: true }, tags: ['first'] });
    await rm(scratch, { recursive: true });
    await dataset.apply({ type: 'add', target: { all: true }, tags: ['second'] });
    expect(dataset.captionProgress()).toEqual({ pending: 0, failed: 0 });
    for (const image of dataset.images()) {
      expect(await caption(dataset, image.file)).toBe('first, second');
    }
    expect(await readdir(scratch)).toEqual([]);
    expect((await readdir(dataset.dir)).filter((name) => name.includes('civtag-'))).toEqual([]);
  });

  it.runIf(process.platform === 'linux')(
    'are still written when .civtag/tmp is on another file system',
    async () => {
      const elsewhere = await mkdtemp('/dev/shm/civtag-scratch-').catch(() => undefined);
      if (elsewhere === undefined) return;
      try {
        const dataset = await importedDataset('scratch-elsewhere', 3);
        // The import's caption writes made the folder: it becomes a link to another disk.
        const scratch = path.join(dataset.dir, '.civtag', 'tmp');
        await rm(scratch, { recursive: true, force: true });
        await symlink(elsewhere, scratch);
        await dataset.apply({ type: 'add', target: { all: true }, tags: ['across'] });
        expect(dataset.captionProgress()).toEqual({ pending: 0, failed: 0 });
        for (const image of dataset.images()) {
          expect(await caption(dataset, image.file)).toBe('across');
        }
        expect(await readdir(elsewhere)).toEqual([]);
        expect((await readdir(dataset.dir)).filter((name) => name.includes('civtag-'))).toEqual([]);
      } finally {
        await rm(elsewhere, { recursive: true, force: true });
      }
    },
  );

  it('are written on the next open after a SIGKILL right after the answer', async () => {
    const dataset = await importedDataset('killed', 60);
    const { dir } = dataset;
    const files = dataset.images().map((image) => image.file);
    await dataset.close();
    open.splice(open.indexOf(dataset), 1);

    const output = await new Promise<string>((resolve, reject) => {
      const process = spawn('node', [child, dir, 'after the kill'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      process.stdout.on('data', (data: Buffer) => {
        text += data.toString();
      });
      process.stderr.on('data', (data: Buffer) => {
        text += data.toString();
      });
      process.on('error', reject);
      process.on('exit', (_code, signal) =>
        signal === 'SIGKILL' ? resolve(text) : reject(new Error(`the child did not die: ${text}`)),
      );
    });
    // It died with the captions queued: the answer went out before any was written.
    expect(output).toBe('queued 60\n');
    const unwritten = await Promise.all(files.map((file) => caption({ dir } as Dataset, file)));
    expect(unwritten.filter((text) => text.includes('after the kill'))).toEqual([]);

    const reopened = await openDataset(dir);
    open.push(reopened);
    await reopened.reconciled();
    for (const file of files) expect(await caption(reopened, file)).toBe('after the kill');
    // Taken back by the journal, not mistaken for 60 edits made outside civtag.
    expect(reopened.images().every((image) => image.tags.join() === 'after the kill')).toBe(true);
    await reopened.undo();
    for (const file of files) expect(await caption(reopened, file)).toBe('(no caption file)');
  });
});
