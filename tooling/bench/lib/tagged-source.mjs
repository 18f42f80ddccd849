// A large source folder of tiny, distinct PNGs, each with a caption of ~25 booru-style tags drawn
// from a Zipf-like vocabulary: the shape of a real tagged dataset, without the decoding cost, for
// the benchmarks that measure state (session open, bulk ops, the web grid), not pixels.
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot } from './image-set.mjs';
import { tagsFor } from './tag-vocabulary.mjs';
import { tinyPng } from './tiny-png.mjs';

const GENERATOR_VERSION = 1;

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
