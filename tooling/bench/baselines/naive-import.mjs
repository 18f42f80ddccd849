// A naive import, one image at a time: read, hash, copy, thumbnail with sharp, next. What a first
// implementation does; civtag should beat it by keeping several images in flight.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/** Imports `names` from `sourceFolder` into `destination` one by one; returns seconds. */
export async function naiveImport(sourceFolder, names, destination) {
  const started = performance.now();
  const thumbnails = join(destination, 'thumbs');
  await mkdir(thumbnails, { recursive: true });
  for (const [index, name] of names.entries()) {
    const source = join(sourceFolder, name);
    const bytes = await readFile(source);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const extension = name.slice(name.lastIndexOf('.'));
    await copyFile(
      source,
      join(destination, `naive_${String(index + 1).padStart(4, '0')}${extension}`),
    );
    await sharp(bytes)
      .rotate()
      .resize(256, 256, { fit: 'inside', withoutEnlargement: true })
      .webp()
      .toFile(join(thumbnails, `${hash}.webp`));
  }
  return (performance.now() - started) / 1000;
}
