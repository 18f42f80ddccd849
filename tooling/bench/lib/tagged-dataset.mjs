// A civtag dataset of N tagged images, built once through civtag's own API (createDataset +
// import of the tagged source folder) and cached; each benchmark works on a fresh copy.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadCore, repositoryRoot } from './civtag-packages.mjs';
import { cacheRoot } from './image-set.mjs';
import { prepareTaggedSource, TAGS_PER_IMAGE, tagsFor } from './tagged-source.mjs';

const run = promisify(execFile);
const BUILT_FROM = [
  'packages/core/dist/index.js',
  'packages/session/dist/index.js',
  'packages/core-fs/dist/index.js',
];

/** Changes whenever a package that writes the dataset is rebuilt, so a stale cache is rebuilt. */
async function buildFingerprint() {
  // By content, not mtime: a build that restores the same files from a cache changes nothing.
  const hash = createHash('sha256');
  for (const file of BUILT_FROM) hash.update(await readFile(join(repositoryRoot, file)));
  return hash.digest('hex');
}

async function buildDataset(core, count, folder, progress) {
  const source = await prepareTaggedSource(count, { progress });
  const started = performance.now();
  const dataset = await core.createDataset(folder, { prefix: 'bench' });
  try {
    const job = dataset.import(source);
    let reported = 0;
    job.on?.('progress', (state) => {
      if (state.done - reported >= 5000) {
        reported = state.done;
        progress(`importing the tagged dataset: ${state.done}/${state.total}`);
      }
    });
    const result = await job.done;
    if (result.done !== count) {
      throw new Error(
        `the import of ${count} tagged images took ${result.done} (${result.failed} failed)`,
      );
    }
    // An import that does not read source captions: set each image's tags with one op each.
    const images = dataset.images();
    if ((images[0]?.tags.length ?? 0) < TAGS_PER_IMAGE) {
      progress('import did not read the source captions; setting tags with one op per image');
      for (const [index, image] of images.entries()) {
        await dataset.apply({ type: 'set', imageId: image.id, tags: tagsFor(index) });
      }
    }
  } finally {
    await dataset.close();
  }
  return (performance.now() - started) / 1000;
}

/**
 * Copies a dataset of `count` tagged images (~25 tags each) to `destination`, building and
 * caching it first if needed. Returns `{ folder, buildSeconds }` (buildSeconds null when cached).
 * Throws ComponentMissing when @civtag/core is not built.
 */
export async function copyTaggedDataset(count, destination, { progress = () => {} } = {}) {
  const core = await loadCore(['createDataset']);
  const pristine = join(cacheRoot, `dataset-${count}`);
  const stampFile = `${pristine}.stamp`;
  const fingerprint = await buildFingerprint();
  let buildSeconds = null;
  const cached = await readFile(stampFile, 'utf8').catch(() => null);
  if (cached !== fingerprint) {
    progress(`building a ${count}-image tagged dataset through civtag (cached for later runs)`);
    await rm(pristine, { recursive: true, force: true });
    await rm(stampFile, { force: true });
    const partial = `${pristine}.partial`;
    await rm(partial, { recursive: true, force: true });
    buildSeconds = await buildDataset(core, count, partial, progress);
    await rename(partial, pristine);
    await writeFile(stampFile, fingerprint);
    progress(`built the ${count}-image dataset in ${buildSeconds.toFixed(1)} s`);
  }
  await rm(destination, { recursive: true, force: true });
  await run('cp', ['-a', pristine, destination]);
  return { folder: destination, buildSeconds };
}
