import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageState, makeTempDir } from '../test/fixtures.js';
import { captionStyle, captionText, textHash } from './caption-text.js';
import { inspectCaptions } from './inspect-captions.js';
import type { ImageState } from './state-schema.js';

const style = captionStyle({
  triggerWord: '',
  tagStyle: { separator: 'space', escapeParentheses: false },
});

let temp: { dir: string; remove: () => Promise<void> };
let dir: string;

beforeEach(async () => {
  temp = await makeTempDir('inspect-captions');
  dir = temp.dir;
});
afterEach(() => temp.remove());

/** Four captions, one of each kind: as the state says, lagging, missing, edited elsewhere. */
async function folderOfEachKind(): Promise<ImageState[]> {
  const images = [
    imageState('same.png', ['a', 'b']),
    imageState('lags.png', ['a', 'c']),
    imageState('gone.png', ['d']),
    imageState('edit.png', ['e']),
  ];
  const [same, lags, , edit] = images as [ImageState, ImageState, ImageState, ImageState];
  await writeFile(path.join(dir, 'same.txt'), 'a, b');
  await writeFile(path.join(dir, 'lags.txt'), 'a');
  await writeFile(path.join(dir, 'edit.txt'), 'e, f');
  same.written = textHash(captionText(same, style));
  const stats = await stat(path.join(dir, 'same.txt'));
  same.seen = `${stats.size}:${stats.mtimeMs}`;
  lags.written = textHash('a');
  edit.written = textHash('e');
  return images;
}

describe('inspectCaptions', () => {
  it('finds the same captions to rewrite and the same edits whether it looks through the pool or at once', async () => {
    const findings = [];
    for (const statNow of [false, true]) {
      const images = await folderOfEachKind();
      const found = await inspectCaptions(dir, images, { caption: style, statNow });
      findings.push({
        rewrite: found.rewrite.map((each) => each.file).sort(),
        edited: found.edited.map((each) => ({ file: each.image.file, tags: each.tags })),
      });
      if (statNow) expect(found.heldMs).toBeGreaterThan(0);
      else expect(found.heldMs).toBe(0);
    }
    expect(findings[0]).toEqual({
      rewrite: ['gone.png', 'lags.png'],
      edited: [{ file: 'edit.png', tags: ['e', 'f'] }],
    });
    expect(findings[1]).toEqual(findings[0]);
  });
});
