import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadTagger, type Tagger } from '@civtag/autotag';
import { makeColourImage, TEST_COLOURS, writeTestTagger } from '@civtag/autotag/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AutoTagProgress,
  type Change,
  createDataset,
  type Dataset,
  type ImageTagger,
  openDataset,
} from '../src/index.js';
import { makeTempDir } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };
let tagger: Tagger;
let source: string;
let target: string;
let dataset: Dataset;

/** The source images, by colour, and the captions some of them bring. */
const IMAGES = [
  { name: 'a-red.png', colour: TEST_COLOURS.red, caption: undefined },
  { name: 'b-blue.png', colour: TEST_COLOURS.blue, caption: 'hand tag, Solo' },
  { name: 'c-green.png', colour: TEST_COLOURS.green, caption: undefined },
  { name: 'd-red.png', colour: TEST_COLOURS.red, caption: 'zeta, red, alpha' },
] as const;

beforeAll(async () => {
  temp = await makeTempDir('autotag');
  const { folder } = await writeTestTagger(path.join(temp.dir, 'tagger'));
  tagger = await loadTagger(folder, { threads: 1 });
  source = path.join(temp.dir, 'photos');
  await mkdir(source);
  for (const image of IMAGES) {
    // Each image a size of its own: two equal files would be one image (a duplicate).
    const width = 64 + IMAGES.indexOf(image) * 8;
    await writeFile(path.join(source, image.name), await makeColourImage(image.colour, { width }));
    if (image.caption !== undefined) {
      await writeFile(path.join(source, image.name.replace('.png', '.txt')), image.caption);
    }
  }
});

afterAll(async () => {
  await tagger.close();
  await temp.remove();
});

let round = 0;
beforeEach(async () => {
  round += 1;
  target = path.join(temp.dir, `dataset-${round}`);
  dataset = await createDataset(target, {
    prefix: 'tag',
    triggerWord: 'civ_style',
    tagStyle: { separator: 'space', escapeParentheses: false },
  });
  await dataset.import(source).done;
});

afterEach(async () => {
  await dataset.close();
});

/** Every caption file of the dataset, by name, as bytes. */
async function captionFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of (await readdir(target)).sort()) {
    if (name.endsWith('.txt')) {
      files.set(name, (await readFile(path.join(target, name))).toString('base64'));
    }
  }
  return files;
}

function byFile(file: string) {
  const image = dataset.images().find((candidate) => candidate.file === file);
  if (image === undefined) throw new Error(`no image ${file}`);
  return image;
}

const proposed = (file: string) => (byFile(file).proposals ?? []).map((proposal) => proposal.tag);

describe('auto-tagging a dataset', () => {
  it('in propose mode stores proposals and leaves every caption file byte-identical', async () => {
    const before = await captionFiles();
    const progress: AutoTagProgress[] = [];
    dataset.on('tagging', (value) => progress.push(value));
    const result = await dataset.autoTag(tagger).done;
    expect(result).toMatchObject({ state: 'done', total: 4, scored: 4, skipped: 0, tagged: 0 });
    expect(result.failed).toEqual([]);
    expect(await captionFiles()).toEqual(before);
    expect(progress.at(-1)?.done).toBe(4);
    expect(proposed('tag_0001.png')).toContain('red');
    expect(proposed('tag_0002.png')).toContain('blue');
    expect(proposed('tag_0002.png')).not.toContain('red');
    // Never a tag the caption holds in any form: `Solo` and `red` are there already.
    expect(proposed('tag_0002.png')).not.toContain('solo');
    expect(proposed('tag_0004.png')).not.toContain('red');
    expect(byFile('tag_0001.png').rating?.label).toBe('general');
    expect(byFile('tag_0001.png').tags).toEqual(['civ_style']);
  });

  it('tells every listener of the proposals as they arrive: a change with the pending proposals and rating that moves the image rev and writes no caption file', async () => {
    const changes: Change[] = [];
    dataset.on('change', (change) => changes.push(change));
    const blue = byFile('tag_0002.png');
    const captionStamp = (await stat(path.join(target, 'tag_0002.txt'))).mtimeMs;
    await dataset.autoTag(tagger).done;
    const scored = changes.filter((change) => change.origin === 'tagger');
    expect(scored.flatMap((change) => change.changes.map((image) => image.imageId)).sort()).toEqual(
      dataset
        .images()
        .map((image) => image.id)
        .sort(),
    );
    const blueChange = scored
      .flatMap((change) => change.changes)
      .find((image) => image.imageId === blue.id);
    expect(blueChange?.tags).toEqual(blue.tags);
    expect(blueChange?.proposals).toEqual(byFile('tag_0002.png').proposals);
    expect(blueChange?.proposals?.map((proposal) => proposal.tag)).toContain('blue');
    expect(blueChange?.rating?.label).toBe('general');
    expect(byFile('tag_0002.png').rev).toBeGreaterThan(blue.rev);
    expect((await stat(path.join(target, 'tag_0002.txt'))).mtimeMs).toBe(captionStamp);

    // Rejecting and accepting tell what stays pending; a rejection writes no caption file.
    changes.length = 0;
    await dataset.apply({ type: 'reject-proposals', target: { ids: [blue.id] }, tags: ['blue'] });
    expect((await stat(path.join(target, 'tag_0002.txt'))).mtimeMs).toBe(captionStamp);
    const rejected = changes[0]?.changes[0];
    expect(rejected?.proposals?.map((proposal) => proposal.tag)).not.toContain('blue');
    expect(rejected?.proposals).toEqual(byFile('tag_0002.png').proposals);
    await dataset.apply({ type: 'accept-proposals', target: { ids: [blue.id] } });
    expect(changes[1]?.changes[0]?.proposals).toEqual([]);
    await dataset.undo();
    expect(changes[2]?.changes[0]?.proposals).toEqual(byFile('tag_0002.png').proposals);
    expect(changes[2]?.changes[0]?.proposals?.length).toBeGreaterThan(0);
  });

  it('accepts proposals into the caption as an undoable op, and undo brings back the caption and the proposal', async () => {
    await dataset.autoTag(tagger).done;
    const before = await captionFiles();
    const red = byFile('tag_0001.png');
    await dataset.apply({ type: 'accept-proposals', target: { ids: [red.id] }, minScore: 0.9 });
    expect(byFile('tag_0001.png').tags).toEqual(['civ_style', 'red']);
    expect(await readFile(path.join(target, 'tag_0001.txt'), 'utf8')).toBe('civ_style, red');
    expect(proposed('tag_0001.png')).not.toContain('red');
    expect(proposed('tag_0001.png')).toContain('solo');
    await dataset.undo();
    expect(await captionFiles()).toEqual(before);
    expect(proposed('tag_0001.png')).toContain('red');
    await dataset.redo();
    expect(byFile('tag_0001.png').tags).toEqual(['civ_style', 'red']);
  });

  it('accepts every proposal at or above a score for a query, in the tag style', async () => {
    await dataset.autoTag(tagger).done;
    await dataset.apply({
      type: 'accept-proposals',
      target: { query: 'civ_style' },
      minScore: 0.5,
    });
    expect(byFile('tag_0003.png').tags).toEqual([
      'civ_style',
      'green',
      'solo',
      'simple background',
    ]);
  });

  it('rejecting hides a proposal, a rescore does not propose it again, and undo shows it again', async () => {
    await dataset.autoTag(tagger).done;
    const red = byFile('tag_0001.png');
    await dataset.apply({ type: 'reject-proposals', target: { ids: [red.id] }, tags: ['solo'] });
    expect(proposed('tag_0001.png')).not.toContain('solo');
    expect(proposed('tag_0003.png')).toContain('solo');
    const again = await dataset.autoTag(tagger, { rescore: true }).done;
    expect(again).toMatchObject({ scored: 4, skipped: 0 });
    expect(proposed('tag_0001.png')).not.toContain('solo');
    // Accepting everything does not bring it in either.
    await dataset.apply({ type: 'accept-proposals', target: { ids: [red.id] } });
    expect(byFile('tag_0001.png').tags).not.toContain('solo');
    await dataset.undo();
    await dataset.undo();
    expect(proposed('tag_0001.png')).toContain('solo');
  });

  it('fill-empty tags only the images with no tags but the trigger word', async () => {
    const before = await captionFiles();
    const result = await dataset.autoTag(tagger, { mode: 'fill-empty' }).done;
    expect(result.tagged).toBe(2);
    expect(byFile('tag_0001.png').tags).toEqual(['civ_style', 'red', 'solo', 'simple background']);
    expect(byFile('tag_0003.png').tags).toEqual([
      'civ_style',
      'green',
      'solo',
      'simple background',
    ]);
    const after = await captionFiles();
    for (const file of ['tag_0002.txt', 'tag_0004.txt'])
      expect(after.get(file)).toBe(before.get(file));
    expect(await readFile(path.join(target, 'tag_0001.txt'), 'utf8')).toBe(
      'civ_style, red, solo, simple background',
    );
  });

  it('append keeps the hand tags first and in order, adds after them, removes nothing', async () => {
    await dataset.autoTag(tagger, { mode: 'append', thresholds: { general: 0.9 } }).done;
    expect(byFile('tag_0004.png').tags).toEqual(['civ_style', 'zeta', 'red', 'alpha']);
    expect(byFile('tag_0002.png').tags).toEqual(['civ_style', 'hand tag', 'Solo', 'blue']);
    expect(await readFile(path.join(target, 'tag_0002.txt'), 'utf8')).toBe(
      'civ_style, hand tag, Solo, blue',
    );
  });

  it('skips images the model scored already, unless asked to score again', async () => {
    const first = await dataset.autoTag(tagger, { target: { query: 'zeta' } }).done;
    expect(first).toMatchObject({ total: 1, scored: 1, skipped: 0 });
    const second = await dataset.autoTag(tagger).done;
    expect(second).toMatchObject({ total: 3, scored: 3, skipped: 1 });
    const third = await dataset.autoTag(tagger).done;
    expect(third).toMatchObject({ total: 0, scored: 0, skipped: 4 });
    const ids = dataset.images().map((image) => image.id);
    const fourth = await dataset.autoTag(tagger, { target: { ids }, rescore: true }).done;
    expect(fourth).toMatchObject({ scored: 4, skipped: 0 });
  });

  it('keeps proposals, rejections and what was scored across a reopen', async () => {
    await dataset.autoTag(tagger).done;
    const red = byFile('tag_0001.png');
    await dataset.apply({ type: 'reject-proposals', target: { ids: [red.id] }, tags: ['solo'] });
    const proposals = dataset.images().map((image) => image.proposals);
    await dataset.close();
    dataset = await openDataset(target);
    expect(dataset.images().map((image) => image.proposals)).toEqual(proposals);
    expect(await dataset.autoTag(tagger).done).toMatchObject({ scored: 0, skipped: 4 });
  });

  it('reports an image that cannot be read and goes on; the next job tries it again', async () => {
    await writeFile(path.join(target, 'tag_0003.png'), 'not an image');
    const result = await dataset.autoTag(tagger).done;
    expect(result).toMatchObject({ state: 'done', total: 4, scored: 3 });
    expect(result.failed).toEqual([
      expect.objectContaining({ file: 'tag_0003.png', code: 'IMAGE_UNREADABLE' }),
    ]);
    expect(byFile('tag_0003.png').proposals).toBeUndefined();
    const again = await dataset.autoTag(tagger).done;
    expect(again).toMatchObject({ total: 1, scored: 0, skipped: 3 });
    expect(again.failed.map((failure) => failure.file)).toEqual(['tag_0003.png']);
  });

  it('cancels cleanly: what was journaled stays and a new job scores the rest', async () => {
    const controller = new AbortController();
    controller.abort();
    const cancelled = await dataset.autoTag(tagger, { signal: controller.signal }).done;
    expect(cancelled.state).toBe('cancelled');
    const rest = await dataset.autoTag(tagger).done;
    expect(rest.scored + rest.skipped).toBe(4);
    expect(rest.skipped).toBe(cancelled.scored);
  });

  it("fails as a whole, naming the file and the fix, when the tagger's model is gone; nothing is scored", async () => {
    const { folder } = await writeTestTagger(path.join(temp.dir, `moved-tagger-${round}`));
    const moved = await loadTagger(folder, { threads: 1 });
    try {
      await rename(moved.modelPath, `${moved.modelPath}.away`);
      const job = dataset.autoTag(moved);
      const error = await job.done.catch((reason: unknown) => reason);
      expect(error).toMatchObject({ code: 'NOT_FOUND', details: { path: moved.modelPath } });
      expect((error as Error).message).toContain(moved.modelPath);
      expect((error as Error).message).toMatch(/Put the tagger's folder back/);
    } finally {
      await moved.close();
    }
    // The same model elsewhere: had the failed job scored anything, this one would skip it.
    expect(await dataset.autoTag(tagger).done).toMatchObject({ scored: 4, skipped: 0 });
  });

  it('keeps the results journaled before a tagger fails mid-job, and a new job scores the rest', async () => {
    // The real tagger, whose results stop after two images with the error a crashed worker gives.
    const failing: ImageTagger = {
      modelPath: tagger.modelPath,
      tagsPath: tagger.tagsPath,
      async *tag(inputs, options) {
        let yielded = 0;
        for await (const result of tagger.tag(inputs, options)) {
          if (yielded === 2) throw new Error('the inference thread stopped');
          yield result;
          yielded += 1;
        }
      },
    };
    const error = await dataset.autoTag(failing).done.catch((reason: unknown) => reason as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('the inference thread stopped');
    await dataset.close();
    dataset = await openDataset(target);
    expect(await dataset.autoTag(tagger).done).toMatchObject({ scored: 2, skipped: 2 });
  });

  it('closes without waiting past its grace for a tagger stuck in inference; what was journaled stays', async () => {
    // The real tagger, stuck after its first image until released.
    let release = (): void => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stuck: ImageTagger = {
      modelPath: tagger.modelPath,
      tagsPath: tagger.tagsPath,
      async *tag(inputs, options) {
        let first = true;
        for await (const result of tagger.tag(inputs, options)) {
          yield result;
          if (first) await held;
          first = false;
        }
      },
    };
    const job = dataset.autoTag(stuck);
    await new Promise<void>((resolve) => {
      const stop = job.on('progress', (progress) => {
        if (progress.scored === 1) {
          stop();
          resolve();
        }
      });
    });
    await dataset.close({ autoTagGraceMs: 50 });
    expect(job.progress().state).toBe('running');
    release();
    // Cancelled by the close, the job journals nothing more.
    expect(await job.done).toMatchObject({ state: 'cancelled', scored: 1 });
    dataset = await openDataset(target);
    expect(await dataset.autoTag(tagger).done).toMatchObject({ scored: 3, skipped: 1 });
  });
});
