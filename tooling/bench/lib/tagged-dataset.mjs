// A civtag dataset of N tagged images, built through civtag's own API (createDataset + import of
// the tagged source folder: the import reads each image's caption file) and cached; each
// benchmark works on a fresh copy. Building is slow at this size (one journaled, fsynced entry
// and one caption per image), so it resumes where an interrupted build stopped, and a cached
// dataset is kept for as long as the current civtag opens it with every image and its tags.
import { execFile } from 'node:child_process';
import { access, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadCore } from './civtag-packages.mjs';
import { cacheRoot } from './image-set.mjs';
import { TAGS_PER_IMAGE, tagsFor } from './tag-vocabulary.mjs';
import { prepareTaggedSource } from './tagged-source.mjs';

const execute = promisify(execFile);
const GENERATOR_VERSION = 1;

async function exists(path) {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Does the current civtag open `folder` with `count` tagged images? Closing leaves it as it was. */
async function opensWhole(core, folder, count) {
  try {
    const dataset = await core.openDataset(folder);
    const images = dataset.images();
    await dataset.close();
    return images.length === count && (images[0]?.tags.length ?? 0) >= TAGS_PER_IMAGE;
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
    const job = dataset.import(source);
    let reported = 0;
    job.on('progress', (state) => {
      if (state.done - reported >= 2000) {
        reported = state.done;
        progress(`importing the tagged dataset: ${state.done}/${state.total}`);
      }
    });
    const result = await job.done;
    const images = dataset.images();
    if (images.length !== count) {
      throw new Error(
        `the import of ${count} tagged images holds ${images.length} (${result.failed} failed)`,
      );
    }
    // An import that did not read the source captions: set each image's tags, one op each.
    if ((images[0]?.tags.length ?? 0) < TAGS_PER_IMAGE) {
      progress('the import did not read the source captions; setting tags with one op per image');
      for (const [index, image] of images.entries()) {
        await dataset.apply({ type: 'set', imageId: image.id, tags: tagsFor(index) });
      }
    }
  } finally {
    await dataset.close();
  }
}

/**
 * Copies a dataset of `count` tagged images (~25 tags each) to `destination`, building (or
 * resuming the build of) the cached one first if needed. Returns `{ folder, built }`.
 * Throws ComponentMissing when @civtag/core is not built.
 */
export async function copyTaggedDataset(count, destination, { progress = () => {} } = {}) {
  const core = await loadCore(['createDataset', 'openDataset']);
  const pristine = join(cacheRoot, `dataset-v${GENERATOR_VERSION}-${count}`);
  let built = false;
  if ((await exists(pristine)) && !(await opensWhole(core, pristine, count))) {
    progress(`the cached ${count}-image dataset does not open whole with this civtag; rebuilding`);
    await rm(pristine, { recursive: true, force: true });
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
  await rm(destination, { recursive: true, force: true });
  await execute('cp', ['-a', pristine, destination]);
  return { folder: destination, built };
}
