import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyTagOp, foldTag, formatTagTerm, styleTag } from '@civtag/tags';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset, type Dataset } from '../src/index.js';
import { makePng, makeTempDir } from './fixtures.js';

/** The scenario a user met: 2,000 downloaded images whose captions mix the forms of each tag. */
const IMAGE_COUNT = 2000;
const VOCABULARY = [
  'long hair',
  'blue eyes',
  'photo (medium)',
  'hatsune miku (cosplay)',
  'looking at viewer',
  'white background',
  '1girl',
  'solo',
  'smile',
  '^_^',
];

/** Tags of image `index`: a rotating subset of the vocabulary, some capitalised. */
function tagsOf(index: number): string[] {
  const tags = VOCABULARY.filter((_, position) => (index + position) % 3 !== 0);
  return tags.map((tag, position) =>
    (index + position) % 4 === 0 ? tag.replace(/\b[a-z]/g, (letter) => letter.toUpperCase()) : tag,
  );
}

/**
 * 80% of captions as kohya taggers write them (spaces, `\(` escapes), 20% booru style
 * (underscores, plain parentheses); one in seven holds a second form of its first tag.
 */
function captionOf(index: number): string {
  const booru = index % 5 === 0;
  const tags = tagsOf(index).map((tag) =>
    booru
      ? tag.length > 3
        ? tag.replaceAll(' ', '_')
        : tag
      : tag.replaceAll('(', '\\(').replaceAll(')', '\\)'),
  );
  if (index % 7 === 0 && tags[0] !== undefined) {
    const first = tags[0];
    tags.push(first.includes('_') ? first.replaceAll('_', ' ') : first.replaceAll(' ', '_'));
  }
  return tags.join(', ');
}

let temp: { dir: string; remove: () => Promise<void> };
let dataset: Dataset;

beforeAll(async () => {
  temp = await makeTempDir('one-form');
  const source = path.join(temp.dir, 'photos');
  await mkdir(source);
  for (let index = 0; index < IMAGE_COUNT; index += 1) {
    const stem = `photo-${String(index).padStart(4, '0')}`;
    // The fixture's pixels repeat every 256 seeds: the width keeps every image distinct.
    const png = makePng(8 + Math.floor(index / 256), 8, index % 256);
    await writeFile(path.join(source, `${stem}.png`), png);
    await writeFile(path.join(source, `${stem}.txt`), captionOf(index));
  }
  dataset = await createDataset(path.join(temp.dir, 'dataset'), { prefix: 'miku' });
  const result = await dataset.import(source).done;
  expect(result).toMatchObject({ state: 'done', failed: 0, duplicates: [] });
}, 240_000);

afterAll(async () => {
  await dataset.close();
  await temp.remove();
});

describe('one tag, one form, on an imported set of mixed captions', () => {
  it('picks the style most captions use and stores every tag in it, one form per tag', () => {
    const style = dataset.settings.tagStyle;
    expect(style).toEqual({ separator: 'space', escapeParentheses: true });
    const images = dataset.images();
    expect(images).toHaveLength(IMAGE_COUNT);
    for (const image of images) {
      expect(new Set(image.tags.map(foldTag)).size).toBe(image.tags.length);
      for (const tag of image.tags) expect(styleTag(tag, style)).toBe(tag);
    }
  });

  it('agrees on every tag: its count, the images a filter shows and the images a remove changes', async () => {
    const stats = dataset.tagStats();
    expect(stats.map((entry) => foldTag(entry.tag)).sort()).toEqual(VOCABULARY.map(foldTag).sort());
    const images = new Map(dataset.images().map((image) => [image.id, image]));
    for (const { tag, count } of stats) {
      const shown = dataset.query({ q: formatTagTerm(tag), limit: 5000 }).images.length;
      const removal = applyTagOp(images, { type: 'remove', target: { all: true }, tags: [tag] });
      expect({ tag, shown, removed: removal.changes.length }).toEqual({
        tag,
        shown: count,
        removed: count,
      });
    }
    // The dataset itself agrees: removing one tag named in another form changes that many.
    const [first] = stats;
    const applied = await dataset.apply({
      type: 'remove',
      target: { all: true },
      tags: [(first?.tag ?? '').replaceAll(' ', '_').toUpperCase()],
    });
    expect(applied.changes).toHaveLength(first?.count ?? -1);
  });
});
