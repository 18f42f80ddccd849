// Realistic source images for the import benchmark: 1–2 MP JPEG and PNG with smooth colour fields
// and sensor-like noise, so that decoders and encoders work as hard as on real photographs.
// Generated once with sharp into a cache folder and reused by later runs.
import { link, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { seededRandom } from './seeded-random.mjs';

/** Bump when the generator changes, so that a stale cache is not measured. */
const GENERATOR_VERSION = 2;
const SIZES = [
  [1024, 1024],
  [1216, 832],
  [832, 1216],
  [1536, 1024],
  [1152, 1536],
  [1408, 1408],
];
const NOISE_SIGMA = 10;

export const cacheRoot = join(tmpdir(), 'civtag-bench-cache');
const imageCache = join(cacheRoot, `images-v${GENERATOR_VERSION}`);

/** The name and shape of the index-th image: two in five are PNG, like a mixed training set. */
function describeImage(index) {
  const [width, height] = SIZES[index % SIZES.length];
  const format = index % 5 === 1 || index % 5 === 3 ? 'png' : 'jpg';
  return { name: `source-${String(index).padStart(5, '0')}.${format}`, width, height, format };
}

async function renderImage(index, { width, height, format }) {
  const random = seededRandom(index + 1);
  const upscaledCells = (across, down) => {
    const cells = Buffer.alloc(across * down * 3);
    for (let offset = 0; offset < cells.length; offset++)
      cells[offset] = Math.floor(random() * 256);
    return sharp(cells, { raw: { width: across, height: down, channels: 3 } })
      .resize(width, height, { kernel: 'cubic', fit: 'fill' })
      .raw()
      .toBuffer();
  };
  // Broad colour fields, plus mid-sized detail that survives into a 256 px thumbnail (as edges
  // and texture in a photograph do), plus pixel noise that only the full-size image carries.
  const field = await upscaledCells(6, 4);
  const detail = await upscaledCells(96, 64);
  for (let offset = 0; offset < field.length; offset++) {
    field[offset] = Math.max(0, Math.min(255, field[offset] * 0.7 + detail[offset] * 0.3));
  }
  // A table of bell-shaped noise (sum of three uniforms), read from a random start with an odd
  // stride: cheap per byte, and no visible pattern at this period.
  const table = new Int8Array(65536);
  for (let entry = 0; entry < table.length; entry++) {
    table[entry] = Math.round((random() + random() + random() - 1.5) * 2 * NOISE_SIGMA);
  }
  let cursor = Math.floor(random() * 65536);
  const stride = 2 * Math.floor(random() * 20000) + 1;
  for (let offset = 0; offset < field.length; offset++) {
    cursor = (cursor + stride) & 65535;
    field[offset] = Math.max(0, Math.min(255, field[offset] + table[cursor]));
  }
  const image = sharp(field, { raw: { width, height, channels: 3 } });
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 90 }).toBuffer();
}

async function ensureCached(count, progress) {
  await mkdir(imageCache, { recursive: true });
  const present = new Set(await readdir(imageCache));
  let made = 0;
  const missing = [];
  for (let index = 0; index < count; index++) {
    if (!present.has(describeImage(index).name)) missing.push(index);
  }
  // Two in flight: the encoders run on libuv threads while the next image's noise is drawn.
  const worker = async () => {
    for (let index = missing.shift(); index !== undefined; index = missing.shift()) {
      const description = describeImage(index);
      const partial = join(imageCache, `${description.name}.partial`);
      await writeFile(partial, await renderImage(index, description));
      await link(partial, join(imageCache, description.name));
      await rm(partial);
      made++;
      if (made % 50 === 0) progress(`generated ${made} source images`);
    }
  };
  await Promise.all([worker(), worker()]);
  if (made > 0) progress(`generated ${made} source images into ${imageCache}`);
}

/**
 * A folder holding exactly `count` generated images (hard links into the cache), ready to import.
 * Returns its path, the total bytes and the file names.
 */
export async function prepareImageSet(count, { progress = () => {} } = {}) {
  await ensureCached(count, progress);
  const folder = join(cacheRoot, `set-v${GENERATOR_VERSION}-${count}`);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  let bytes = 0;
  const names = [];
  for (let index = 0; index < count; index++) {
    const { name } = describeImage(index);
    await link(join(imageCache, name), join(folder, name));
    bytes += (await stat(join(folder, name))).size;
    names.push(name);
  }
  return { folder, bytes, names };
}
