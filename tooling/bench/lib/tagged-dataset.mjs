// A civtag dataset of N tagged images, built through civtag's own API (createDataset + import of
// the tagged source folder: the import reads each image's caption file), so that what the
// benchmarks measure is what a user gets, and cached; each benchmark works on a copy. A build
// resumes where an interrupted one stopped, and a cached dataset is kept for as long as the
// current civtag build opens it with every image and its tags (checked once per build of civtag).
// Every image has its perceptual hash, as an import by the current civtag gives it: a dataset
// without them is hashed by civtag in the background after each open, which would put that
// one-off work (a core busy for minutes at 100k) under every benchmark that opens a copy.
import { access, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCore, repositoryRoot } from './civtag-packages.mjs';
import { copyDatasetFolder } from './dataset-copy.mjs';
import { cacheRoot } from './image-set.mjs';
import { TAGS_PER_IMAGE } from './tag-vocabulary.mjs';
import { prepareTaggedSource, SOURCE_GENERATOR_VERSION } from './tagged-source.mjs';

/** Bump when the way the dataset is built changes; a new source version rebuilds it too. */
const DATASET_GENERATOR_VERSION = 2;
/** The builds whose change may change what a cached dataset opens as. */
const CIVTAG_BUILDS = ['core', 'core-fs', 'session', 'tags', 'api-models'].map((name) =>
  join(repositoryRoot, 'packages', name, 'dist', 'index.js'),
);

async function exists(path) {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Bump when what the check below asks of a cached dataset changes: each one is checked again. */
const CHECK_VERSION = 2;

/** Size and mtime of civtag's built packages: a new build gives a new signature. */
async function civtagBuildSignature() {
  const parts = [`check ${CHECK_VERSION}`];
  for (const file of CIVTAG_BUILDS) {
    const info = await stat(file).catch(() => null);
    parts.push(info ? `${info.size}:${info.mtimeMs}` : 'absent');
  }
  return parts.join(' ');
}

/**
 * Does the current civtag open `folder` with `count` tagged images, each with its perceptual
 * hash? A dataset built before civtag kept those hashes is brought up to date first, the way a
 * user's is: civtag hashes it in the background after the open (`hashed()`), and journals them.
 */
async function opensWhole(core, folder, count, progress) {
  try {
    const dataset = await core.openDataset(folder);
    try {
      const unhashed = dataset.images().filter((image) => image.phash === undefined).length;
      if (unhashed > 0) {
        progress(`the cached dataset has ${unhashed} images without a perceptual hash; hashing`);
        const started = performance.now();
        await dataset.hashed();
        const seconds = ((performance.now() - started) / 1000).toFixed(0);
        progress(`hashed the cached dataset's images in ${seconds} s`);
      }
      const images = dataset.images();
      return (
        images.length === count &&
        (images[0]?.tags.length ?? 0) >= TAGS_PER_IMAGE &&
        images.every((image) => image.phash !== undefined)
      );
    } finally {
      await dataset.close();
    }
  } catch {
    return false;
  }
}

async function importTagged(core, count, folder, progress) {
  const source = await prepareTaggedSource(count, { progress });
  const resumed = await exists(join(folder, '.civtag'));
  const dataset = resumed
    ? await core.openDataset(folder)
    : await core.createDataset(folder, { prefix: 'bench' });
  try {
    if (resumed) progress(`resuming the build at ${dataset.images().length}/${count} images`);
    const started = performance.now();
    const job = dataset.import(source);
    let reported = 0;
    job.on('progress', (state) => {
      if (state.done - reported < 10_000) return;
      reported = state.done;
      const rate = state.done / ((performance.now() - started) / 1000);
      progress(`importing the tagged dataset: ${state.done}/${state.total} (${rate.toFixed(0)}/s)`);
    });
    const result = await job.done;
    // A resumed build's earlier images may lack their perceptual hashes (an older civtag).
    await dataset.hashed();
    const images = dataset.images();
    if (images.length !== count) {
      throw new Error(
        `the import of ${count} tagged images holds ${images.length} (${result.failed} failed, ${result.duplicates.length} duplicates)`,
      );
    }
    if ((images[0]?.tags.length ?? 0) < TAGS_PER_IMAGE) {
      throw new Error(
        `the import did not take the source captions (the first image has ${images[0]?.tags.length ?? 0} tags)`,
      );
    }
  } finally {
    await dataset.close();
  }
}

/**
 * The cached dataset of `count` tagged images, built (or its build resumed) first if needed, and
 * checked to open whole with the current civtag build. Returns `{ folder, built }`; the folder is
 * the cache itself: copy it (copyTaggedDataset) before changing anything in it.
 * Throws ComponentMissing when @civtag/core is not built.
 */
export async function prepareTaggedDataset(count, { progress = () => {} } = {}) {
  const core = await loadCore(['createDataset', 'openDataset']);
  const pristine = join(
    cacheRoot,
    `dataset-v${DATASET_GENERATOR_VERSION}.${SOURCE_GENERATOR_VERSION}-${count}`,
  );
  const checked = `${pristine}.checked`;
  const signature = await civtagBuildSignature();
  let built = false;
  if (await exists(pristine)) {
    const lastChecked = await readFile(checked, 'utf8').catch(() => null);
    if (lastChecked !== signature) {
      progress(`checking that this civtag build opens the cached ${count}-image dataset whole`);
      if (!(await opensWhole(core, pristine, count, progress))) {
        progress(`the cached ${count}-image dataset does not open whole; rebuilding`);
        await rm(pristine, { recursive: true, force: true });
      }
    }
  }
  if (!(await exists(pristine))) {
    const partial = `${pristine}.partial`;
    progress(
      `building a ${count}-image tagged dataset through civtag's import (cached, resumable)`,
    );
    const started = performance.now();
    await importTagged(core, count, partial, progress);
    await rename(partial, pristine);
    built = true;
    progress(
      `built the ${count}-image dataset in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  await writeFile(checked, signature);
  return { folder: pristine, built };
}

/**
 * Copies a dataset of `count` tagged images (25 tags each) to `destination`, building (or
 * resuming the build of) the cached one first if needed. Images and thumbnails are hard links
 * (civtag never writes an image or a thumbnail in place); captions and the session are real
 * copies with their timestamps. Returns `{ folder, built, copySeconds }`.
 * Throws ComponentMissing when @civtag/core is not built.
 */
export async function copyTaggedDataset(count, destination, { progress = () => {} } = {}) {
  const { folder: pristine, built } = await prepareTaggedDataset(count, { progress });
  const started = performance.now();
  await copyDatasetFolder(pristine, destination);
  const copySeconds = (performance.now() - started) / 1000;
  if (count >= 50_000) progress(`copied the ${count}-image dataset in ${copySeconds.toFixed(1)} s`);
  return { folder: destination, built, copySeconds };
}
