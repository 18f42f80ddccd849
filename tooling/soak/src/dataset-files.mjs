// What is on disk in the dataset folder, against what the server serves: every caption file
// holds its image's tags (none for an image without tags), no caption is left without an
// image, and no temporary file is left anywhere.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseCaption } from '@civtag/tags';

/** A temporary name of civtag's atomic writes (core-fs temporary-file-name.ts), or any `*.tmp`. */
const TEMPORARY_NAME = /^\..*\.[0-9a-f]{12}\.civtag-(?:tmp|old)$/;

/** Every file and folder under `dir` (relative paths), folders marked with a trailing `/`. */
async function walk(dir, prefix = '') {
  const found = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) {
      found.push(`${relative}/`);
      found.push(...(await walk(dir, relative)));
    } else found.push(relative);
  }
  return found;
}

/**
 * Temporary files and folders left in the dataset: civtag's temporary names, `*.tmp`, a
 * staging folder of `createDataset`, anything in `.civtag/tmp`. `olderThan` (ms since the
 * epoch) keeps only files last changed before it.
 */
export async function findTemporaryFiles(dataset, { olderThan } = {}) {
  const found = [];
  for (const relative of await walk(dataset)) {
    const name = path.basename(relative);
    const isTemporary =
      TEMPORARY_NAME.test(name) ||
      name.endsWith('.tmp') ||
      /^\.civtag-new-/.test(name) ||
      (relative.startsWith(`.civtag${path.sep}tmp${path.sep}`) && !relative.endsWith('/'));
    if (!isTemporary) continue;
    if (olderThan !== undefined) {
      const stats = await stat(path.join(dataset, relative)).catch(() => undefined);
      if (stats === undefined || stats.mtimeMs >= olderThan) continue;
    }
    found.push(relative);
  }
  return found;
}

/**
 * Compares the caption files with `images` (as served). Returns `{ problems, canonical,
 * notCanonical }`: a problem for a caption whose tags differ from its image's, a missing one,
 * one for an image without tags, and a `.txt` in the dataset folder that belongs to no image.
 */
export async function compareCaptions(dataset, images) {
  const problems = [];
  let canonical = 0;
  let notCanonical = 0;
  const expected = new Set();
  for (const image of images) {
    const folder = image.excluded ? path.join(dataset, '.civtag', 'trash') : dataset;
    const file = path.join(folder, image.file.replace(/\.[^.]+$/, '.txt'));
    if (!image.excluded) expected.add(path.basename(file));
    let text;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      if (image.tags.length > 0)
        problems.push(
          `${image.file}: no caption file, but the image has ${image.tags.length} tags`,
        );
      continue;
    }
    if (image.tags.length === 0) {
      problems.push(
        `${image.file}: a caption file (${JSON.stringify(text.slice(0, 80))}) for an image without tags`,
      );
      continue;
    }
    const onDisk = parseCaption(text).tags;
    if (JSON.stringify(onDisk) !== JSON.stringify(image.tags)) {
      problems.push(
        `${image.file}: caption has ${JSON.stringify(onDisk)}, the server has ${JSON.stringify(image.tags)}`,
      );
    } else if (text === image.tags.join(', ')) canonical += 1;
    else notCanonical += 1;
  }
  for (const name of await readdir(dataset)) {
    if (name.endsWith('.txt') && !expected.has(name))
      problems.push(`${name}: a caption file that belongs to no image in the dataset`);
  }
  return { problems, canonical, notCanonical };
}
