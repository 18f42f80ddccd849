// sharp's own thumbnail rate: the same 256 px WebP thumbnails civtag makes, with sharp's pipeline
// alone (no hash, check, copy, caption or journal), 4 images in flight, each read by sharp from
// its path. What an import could reach if everything but the thumbnail were free.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/** How many thumbnails are made at once: what MEASURED.md finds best on 2 cores. */
const IN_FLIGHT = 4;

/** Thumbnails `names` from `sourceFolder` into `<destination>/thumbs`; returns seconds. */
export async function sharpThumbnails(sourceFolder, names, destination) {
  const started = performance.now();
  const thumbnails = join(destination, 'thumbs');
  await mkdir(thumbnails, { recursive: true });
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < names.length; index = next++) {
      await sharp(join(sourceFolder, names[index]))
        .rotate()
        .resize(256, 256, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 80 })
        .toFile(join(thumbnails, `${index}.webp`));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return (performance.now() - started) / 1000;
}
