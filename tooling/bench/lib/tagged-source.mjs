// A large source folder of tiny, distinct PNGs, each with a caption of ~25 booru-style tags drawn
// from a Zipf-like vocabulary: the shape of a real tagged dataset, without the decoding cost, for
// the benchmarks that measure state (session open, bulk ops, the web grid), not pixels.
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { cacheRoot } from './image-set.mjs';

const GENERATOR_VERSION = 1;
const SIDE = 16;
export const TAGS_PER_IMAGE = 25;

const QUALIFIERS = [
  'long',
  'short',
  'blue',
  'red',
  'black',
  'white',
  'green',
  'pink',
  'silver',
  'blonde',
  'brown',
  'purple',
  'open',
  'closed',
  'striped',
  'holding',
  'looking at',
  'hand on',
  'wet',
  'floating',
  'messy',
  'twin',
  'single',
  'large',
  'small',
  'detailed',
  'glowing',
  'torn',
  'frilled',
  'pleated',
];
const SUBJECTS = [
  'hair',
  'eyes',
  'dress',
  'skirt',
  'shirt',
  'jacket',
  'hat',
  'ribbon',
  'gloves',
  'boots',
  'sky',
  'background',
  'flower',
  'sword',
  'umbrella',
  'book',
  'window',
  'tree',
  'cloud',
  'water',
  'mouth',
  'viewer',
  'hood',
  'scarf',
  'collar',
  'bow',
  'earrings',
  'necklace',
  'sleeves',
  'thighhighs',
  'braid',
  'ponytail',
  'bangs',
  'smile',
  'blush',
  'tail',
  'wings',
  'horns',
  'halo',
  'mask',
  'glasses',
  'bag',
  'cup',
  'phone',
  'cat',
  'bird',
  'moon',
  'sun',
  'rain',
  'snow',
];

/** 1,500 distinct tags, the commonest first (`long hair`, `short hair`, `blue hair`, …). */
export const VOCABULARY = SUBJECTS.flatMap((subject) =>
  QUALIFIERS.map((qualifier) => `${qualifier} ${subject}`),
);

function seededRandom(seed) {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

/** The tags of the index-th image: distinct, Zipf-like (a few tags on most images, a long tail). */
export function tagsFor(index) {
  const random = seededRandom(index + 7919);
  const tags = new Set(['solo']);
  while (tags.size < TAGS_PER_IMAGE) {
    // rank ≈ exp(U·ln N) gives a 1/rank-shaped choice over the vocabulary.
    const rank = Math.floor(Math.exp(random() * Math.log(VOCABULARY.length))) - 1;
    tags.add(VOCABULARY[rank]);
  }
  return [...tags];
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, checksum]);
}

/** A 16×16 RGB PNG whose pixels encode `index`, so that no two files share a hash. */
export function tinyPng(index) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIDE, 0);
  header.writeUInt32BE(SIDE, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(SIDE * (1 + SIDE * 3));
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const offset = y * (1 + SIDE * 3) + 1 + x * 3;
      rows[offset] = (index >>> 16) & 255;
      rows[offset + 1] = (index >>> 8) & 255;
      rows[offset + 2] = (index + x * 16 + y) & 255;
    }
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A cached folder of `count` tiny PNGs with their captions (`tiny-00001.png` + `tiny-00001.txt`).
 * Returns its path.
 */
export async function prepareTaggedSource(count, { progress = () => {} } = {}) {
  const folder = join(cacheRoot, `tagged-v${GENERATOR_VERSION}-${count}`);
  try {
    if ((await readdir(folder)).length === count * 2) return folder;
  } catch {
    // Not made yet.
  }
  const partial = `${folder}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const width = String(count).length;
  for (let index = 0; index < count; index += 500) {
    const batch = [];
    for (let offset = index; offset < Math.min(count, index + 500); offset++) {
      const stem = `tiny-${String(offset + 1).padStart(width, '0')}`;
      batch.push(writeFile(join(partial, `${stem}.png`), tinyPng(offset)));
      batch.push(writeFile(join(partial, `${stem}.txt`), tagsFor(offset).join(', ')));
    }
    await Promise.all(batch);
    if ((index / 500) % 20 === 19) progress(`wrote ${index + 500} tagged source images`);
  }
  await rm(folder, { recursive: true, force: true });
  await rename(partial, folder);
  progress(`wrote ${count} tagged source images into ${folder}`);
  return folder;
}
