import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { corpusPath } from '@civtag/test-corpus';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDataset,
  type Dataset,
  hammingDistance,
  type ImageRecord,
  NEAR_DUPLICATE_DISTANCE,
} from '../src/index.js';
import { makeTempDir } from './fixtures.js';

/**
 * The corpus's distinct pictures: photographs and artwork a person would tell apart. Left out,
 * with the reason:
 * - the 16 other files of `exif-orientation/`: the same two pictures under every EXIF
 *   orientation, upright once read; they are imported as members of their picture's group;
 * - `animated-loop-3.webp`: the same animation as `animated-loop-3.gif`; also a member;
 * - PngSuite's 32 × 32 test patterns: most come in several bit depths, interlaced or not, and
 *   gamma variants that are the same picture (many pixel for pixel); and at 32 pixels a 50 %
 *   resize keeps 16, fewer than the 32 × 32 grid the hash reads. They are imported beside the
 *   pictures, and no picture may join a group of theirs;
 * - `16-bit-grey-alpha.png` (black at an opacity of at most 16/255: nearly nothing to see),
 *   `grey-plus-alpha.gif` (2 × 1), `big-height.webp` (13 pixels wide) and the 1 × 1 images of
 *   `generation-metadata/` (cut down to their metadata): imported as well, never a picture's;
 * - broken files and those over the pixel limit, which no import takes.
 */
const PICTURES = [
  ['exif-orientation', 'Landscape_1.jpg'],
  ['exif-orientation', 'Portrait_1.jpg'],
  ['sharp-fixtures', '2569067123_aca715a2ee_o.jpg'],
  ['sharp-fixtures', 'Channel_digital_image_CMYK_color_no_profile.jpg'],
  ['sharp-fixtures', 'Crash_test.gif'],
  ['sharp-fixtures', 'animated-loop-3.gif'],
  ['sharp-fixtures', 'grey-8bit-alpha.png'],
  ['sharp-fixtures', 'pitm.avif'],
  ['pngsuite', 'PngSuite.png'],
  ['generation-metadata', 'AUTOMATIC1111', 'automatic1111_stealth.png'],
] as const;

/** Files that show one of the pictures as it is: they belong in its group. */
const SAME_PICTURE: Record<string, string[]> = {
  'Landscape_1.jpg': [0, 2, 3, 4, 5, 6, 7, 8].map((number) => `Landscape_${number}.jpg`),
  'Portrait_1.jpg': [0, 2, 3, 4, 5, 6, 7, 8].map((number) => `Portrait_${number}.jpg`),
  'animated-loop-3.gif': ['animated-loop-3.webp'],
};

/** Files imported beside the pictures, none of which may join a picture's group. */
const OTHERS = [
  ['sharp-fixtures', '16-bit-grey-alpha.png'],
  ['sharp-fixtures', 'grey-plus-alpha.gif'],
  ['sharp-fixtures', 'big-height.webp'],
  ['generation-metadata', 'NovelAI', 'novelai1_cropped.png'],
  ['generation-metadata', 'ComfyUI', 'img2img_cropped.png'],
] as const;

/**
 * The copies made of each picture: what a dataset gathered from several places holds. JPEG
 * has no transparency: a transparent picture is laid on white first, as the hash itself reads
 * transparency.
 */
const COPIES: Record<string, (image: sharp.Sharp, width: number, height: number) => sharp.Sharp> = {
  'jpeg-q70.jpg': (image) => image.flatten({ background: '#ffffff' }).jpeg({ quality: 70 }),
  'jpeg-q90.jpg': (image) => image.flatten({ background: '#ffffff' }).jpeg({ quality: 90 }),
  'webp-q80.webp': (image) => image.webp({ quality: 80 }),
  'half.png': (image, width) => image.resize(Math.round(width * 0.5)).png(),
  'three-quarters.jpg': (image, width) =>
    image
      .resize(Math.round(width * 0.75))
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 85 }),
  'cropped.png': (image, width, height) => {
    // 2 % off every edge (4 % of each side). At 3 % one picture is 10 bits away, at 4 % up
    // to 12: cropping moves a perceptual hash most (see docs/architecture.md).
    const left = Math.floor(width * 0.02);
    const top = Math.floor(height * 0.02);
    return image.extract({ left, top, width: width - 2 * left, height: height - 2 * top }).png();
  },
};

let temp: { dir: string; remove: () => Promise<void> };
let dataset: Dataset;
/** The images of the dataset by their source path. */
let bySource: Map<string, ImageRecord>;

beforeAll(async () => {
  temp = await makeTempDir('near-duplicates');
  const source = path.join(temp.dir, 'source');
  for (const folder of ['pictures', 'copies', 'same', 'others', 'patterns']) {
    await mkdir(path.join(source, folder), { recursive: true });
  }
  for (const names of PICTURES) {
    const name = names.at(-1) as string;
    await copyFile(corpusPath(...names), path.join(source, 'pictures', name));
    // Upright first: a copy made by a program that applies the EXIF orientation.
    const upright = await sharp(corpusPath(...names), { pages: 1 })
      .rotate()
      .png()
      .toBuffer();
    const { width = 0, height = 0 } = await sharp(upright).metadata();
    for (const [suffix, make] of Object.entries(COPIES)) {
      await make(sharp(upright), width, height).toFile(
        path.join(source, 'copies', `${name}--${suffix}`),
      );
    }
    for (const same of SAME_PICTURE[name] ?? []) {
      const folder = names.slice(0, -1) as string[];
      await copyFile(corpusPath(...folder, same), path.join(source, 'same', same));
    }
  }
  for (const names of OTHERS) {
    await copyFile(corpusPath(...names), path.join(source, 'others', names.at(-1) as string));
  }
  for (const name of await readdir(corpusPath('pngsuite'))) {
    // `x*` files are broken on purpose; the logo is one of the pictures.
    if (!name.endsWith('.png') || name.startsWith('x') || name === 'PngSuite.png') continue;
    await copyFile(corpusPath('pngsuite', name), path.join(source, 'patterns', name));
  }
  dataset = await createDataset(path.join(temp.dir, 'dataset'), { prefix: 'corpus' });
  const result = await dataset.import(source, { recursive: true }).done;
  expect(result.failures).toEqual([]);
  bySource = new Map(dataset.images().map((image) => [image.source?.path as string, image]));
}, 180_000);

afterAll(async () => {
  await dataset?.close();
  await temp?.remove();
});

/** The source paths of a picture's group: it, its copies and the files that show it. */
function family(name: string): string[] {
  return [
    `pictures/${name}`,
    ...Object.keys(COPIES).map((suffix) => `copies/${name}--${suffix}`),
    ...(SAME_PICTURE[name] ?? []).map((same) => `same/${same}`),
  ].sort();
}

function phashOf(sourcePath: string): string {
  const image = bySource.get(sourcePath);
  expect(image?.phash, sourcePath).toMatch(/^[0-9a-f]{16}$/);
  return image?.phash as string;
}

describe('near-duplicates among the corpus pictures and copies of them', () => {
  it('groups every re-encoded, resized and cropped copy with its picture, and nothing else', () => {
    const groups = dataset
      .nearDuplicateGroups()
      .map((group) => group.map((id) => dataset.image(id)?.source?.path as string).sort());
    for (const names of PICTURES) {
      const name = names.at(-1) as string;
      const group = groups.find((candidate) => candidate.includes(`pictures/${name}`));
      expect(group, name).toEqual(family(name));
    }
  });

  it('keeps a margin on both sides of the threshold: copies close, everything else far', () => {
    let farthestCopy = 0;
    let nearestOther = 64;
    for (const names of PICTURES) {
      const name = names.at(-1) as string;
      const hash = phashOf(`pictures/${name}`);
      const members = family(name);
      for (const member of members) {
        farthestCopy = Math.max(farthestCopy, hammingDistance(hash, phashOf(member)));
      }
      // Every other image of the dataset: the other pictures and their copies, the patterns.
      for (const [sourcePath, image] of bySource) {
        if (members.includes(sourcePath) || image.phash?.length !== 16) continue;
        nearestOther = Math.min(nearestOther, hammingDistance(hash, image.phash));
      }
    }
    // Measured when the threshold was chosen: copies at most 8 bits away, anything else 18 or
    // more (another picture: 24 or more).
    expect(farthestCopy).toBeLessThanOrEqual(NEAR_DUPLICATE_DISTANCE);
    expect(nearestOther).toBeGreaterThanOrEqual(NEAR_DUPLICATE_DISTANCE + 4);
  });
});
