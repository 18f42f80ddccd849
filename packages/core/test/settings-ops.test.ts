import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Change } from '@civtag/api-models';
import { applyTagOp, tagOpOptions } from '@civtag/tags';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDataset, type Dataset, openDataset } from '../src/index.js';
import { decodeState } from '../src/state-codec.js';
import { makeTempDir, writePngs } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };
let source: string;
let target: string;
let dataset: Dataset;

const SPACE = { separator: 'space', escapeParentheses: false } as const;

function tagsOf(): string[][] {
  return dataset.images().map((image) => image.tags);
}

async function caption(file: string): Promise<string> {
  return readFile(path.join(target, file), 'utf8');
}

beforeEach(async () => {
  temp = await makeTempDir('settings');
  source = path.join(temp.dir, 'photos');
  target = path.join(temp.dir, 'dataset');
  await mkdir(source);
  await writePngs(source, 3);
  await writeFile(path.join(source, 'photo-01.txt'), 'sakura, solo, photo (medium)');
  await writeFile(path.join(source, 'photo-02.txt'), 'solo, Sakura_Style');
  dataset = await createDataset(target, { prefix: 'set', triggerWord: 'sakura', tagStyle: SPACE });
  await dataset.import(source).done;
});

afterEach(async () => {
  await dataset.close();
  await temp.remove();
});

describe('settings as undoable ops', () => {
  it('renames the trigger word in every caption, adds it where missing, and undo restores tags and settings', async () => {
    const before = tagsOf();
    expect(before).toEqual([
      ['sakura', 'solo', 'photo (medium)'],
      ['sakura', 'solo', 'Sakura Style'],
      ['sakura'],
    ]);
    const changes: Change[] = [];
    dataset.on('change', (change) => changes.push(change));
    const applied = await dataset.apply({
      type: 'settings',
      changes: { triggerWord: 'sakura_style' },
    });
    expect(tagsOf()).toEqual([
      ['sakura_style', 'solo', 'photo (medium)'],
      ['sakura_style', 'solo'],
      ['sakura_style'],
    ]);
    expect(dataset.settings.triggerWord).toBe('sakura_style');
    expect(applied.settings?.triggerWord).toBe('sakura_style');
    expect(changes[0]?.settings?.triggerWord).toBe('sakura_style');
    expect(await caption('set_0002.txt')).toBe('sakura_style, solo');

    const undone = await dataset.undo();
    expect(tagsOf()).toEqual(before);
    expect(dataset.settings.triggerWord).toBe('sakura');
    expect(undone.settings?.triggerWord).toBe('sakura');
    expect(await caption('set_0002.txt')).toBe('sakura, solo, Sakura Style');

    await dataset.redo();
    expect(dataset.settings.triggerWord).toBe('sakura_style');
    expect(tagsOf()[1]).toEqual(['sakura_style', 'solo']);
    // Every client catching up sees the settings too.
    const feed = dataset.changesSince(applied.revision - 1);
    expect(feed.reload === false && feed.changes[0]?.settings?.triggerWord).toBe('sakura_style');
  });

  it('clears the trigger word without touching captions, and images imported later get a new one', async () => {
    await dataset.apply({ type: 'settings', changes: { triggerWord: null } });
    expect(dataset.settings.triggerWord).toBeUndefined();
    expect(tagsOf()[0]).toEqual(['sakura', 'solo', 'photo (medium)']);
    await dataset.apply({ type: 'settings', changes: { triggerWord: 'miku', prefix: 'miku' } });
    await writePngs(source, 1, { firstSeed: 50 });
    await writeFile(path.join(source, 'photo-01.txt'), 'smile');
    const more = path.join(temp.dir, 'more');
    await mkdir(more);
    await writePngs(more, 1, { firstSeed: 70 });
    await dataset.import(more).done;
    const files = dataset.images().map((image) => image.file);
    // Existing files keep their names; the new image takes the new prefix and trigger word.
    expect(files).toEqual(['set_0001.png', 'set_0002.png', 'set_0003.png', 'miku_0001.png']);
    expect(dataset.images()[3]?.tags).toEqual(['miku']);
  });

  it('gives every image an import places after a trigger word change the new word, even those prepared before it', async () => {
    const more = path.join(temp.dir, 'more');
    await mkdir(more);
    await writePngs(more, 24, { firstSeed: 100 });
    const job = dataset.import(more);
    let changed: Promise<unknown> | undefined;
    const stop = job.on('progress', (progress) => {
      // As soon as the first images are placed, while later ones are being prepared.
      if (changed === undefined && progress.done >= 2) {
        changed = dataset.apply({ type: 'settings', changes: { triggerWord: 'new_style' } });
      }
    });
    await job.done;
    stop();
    await changed;
    expect(changed).toBeDefined();
    for (const image of dataset.images()) {
      expect(image.tags[0], image.file).toBe('new_style');
      expect(image.tags, image.file).not.toContain('sakura');
    }
  });

  it('makes kohya repeats the export default, and changes the tag style without rewriting tags', async () => {
    await dataset.apply({
      type: 'settings',
      changes: { kohyaRepeats: 3, tagStyle: { separator: 'underscore', escapeParentheses: true } },
    });
    const result = await dataset.export({ format: 'kohya', outDir: path.join(temp.dir, 'kohya') });
    expect(path.basename(result.dir)).toBe('3_sakura');
    expect(tagsOf()[0]).toEqual(['sakura', 'solo', 'photo (medium)']);
    // Escaping is how captions are written: every caption follows the new setting at once.
    expect(await caption('set_0001.txt')).toBe('sakura, solo, photo \\(medium\\)');
    await dataset.apply({ type: 'add', target: { all: true }, tags: ['long hair'] });
    expect(tagsOf()[2]).toEqual(['sakura', 'long_hair']);
    await dataset.undo();
    await dataset.undo();
    expect(dataset.settings.kohyaRepeats).toBe(10);
    expect(dataset.settings.tagStyle).toEqual(SPACE);
    expect(await caption('set_0001.txt')).toBe('sakura, solo, photo (medium)');
  });
});

describe('normalize', () => {
  it('rewrites tags to the style as one undoable op, and its preview counts the images it changes', async () => {
    await dataset.apply({
      type: 'settings',
      changes: { tagStyle: { separator: 'underscore', escapeParentheses: false } },
    });
    const op = { type: 'normalize', target: { all: true } } as const;
    const images = new Map(dataset.images().map((image) => [image.id, image]));
    const preview = applyTagOp(images, op, tagOpOptions(dataset.settings)).changes.length;
    const applied = await dataset.apply(op);
    expect(preview).toBe(2);
    expect(applied.changes).toHaveLength(2);
    expect(tagsOf()).toEqual([
      ['sakura', 'solo', 'photo_(medium)'],
      ['sakura', 'solo', 'Sakura_Style'],
      ['sakura'],
    ]);
    await dataset.undo();
    expect(tagsOf()[0]).toEqual(['sakura', 'solo', 'photo (medium)']);
  });
});

describe('a dataset saved before tag styles', () => {
  it('opens with its caption options as its tag style and one form per tag', async () => {
    await dataset.close();
    const file = path.join(target, '.civtag', 'session.json');
    const snapshot = JSON.parse(await readFile(file, 'utf8'));
    // Version 1 stored the state as it is held, images as one object each.
    snapshot.state = decodeState(snapshot.state);
    const [first] = Object.keys(snapshot.state.images);
    snapshot.version = 1;
    delete snapshot.stateSha256;
    delete snapshot.stateLength;
    snapshot.state.settings = {
      prefix: 'set',
      triggerWord: 'sakura',
      caption: { escapeParentheses: true, underscoresToSpaces: true, lowercase: true },
    };
    // What version 1 wrote for these tags with these options, as its caption and its hash.
    const written = 'sakura, long hair, solo';
    Object.assign(snapshot.state.images[first as string], {
      tags: ['sakura', 'Long_Hair', 'long hair', 'solo'],
      written: createHash('sha256').update(written).digest('hex').slice(0, 16),
    });
    await writeFile(path.join(target, 'set_0001.txt'), written);
    await writeFile(file, JSON.stringify(snapshot));
    dataset = await openDataset(target);
    expect(dataset.settings).toEqual({
      prefix: 'set',
      triggerWord: 'sakura',
      tagStyle: { separator: 'space', escapeParentheses: true },
      kohyaRepeats: 10,
    });
    expect(dataset.image(first as string)?.tags).toEqual(['sakura', 'long hair', 'solo']);
    expect(await caption('set_0001.txt')).toBe(written);
  });
});

describe('a dataset saved with its images as one object each (version 2)', () => {
  it('opens with the same images and is saved again with its images as columns', async () => {
    const images = dataset.images();
    await dataset.close();
    const file = path.join(target, '.civtag', 'session.json');
    const snapshot = JSON.parse(await readFile(file, 'utf8'));
    expect(snapshot.version).toBe(3);
    snapshot.state = decodeState(snapshot.state);
    snapshot.version = 2;
    delete snapshot.stateSha256;
    delete snapshot.stateLength;
    await writeFile(file, JSON.stringify(snapshot));

    dataset = await openDataset(target);
    expect(dataset.images()).toEqual(images);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.version).toBe(3);
    expect(saved.state).not.toHaveProperty('images');
    expect(saved.state.imageTable.count).toBe(3);
    expect(saved.state.imageTable.tagTable).toEqual([
      'sakura',
      'solo',
      'photo (medium)',
      'Sakura Style',
    ]);
  });
});
