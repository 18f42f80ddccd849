// A large source folder of small, distinct images (48–128 px PNG, JPEG and WebP; lib/small-image.mjs),
// each with a caption of 25 booru-style tags from a long-tailed vocabulary (lib/tag-vocabulary.mjs):
// the shape of a real tagged dataset at a fraction of the decoding cost, for the benchmarks that
// measure state (session open, bulk ops, the server, the web grid) rather than pixels. Written by
// one process per core and cached; 100k images take a minute or two on 2 quiet cores.
import { fork } from 'node:child_process';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from './image-set.mjs';

/** Bump when the images or the captions change, so that a stale cache is not measured. */
export const SOURCE_GENERATOR_VERSION = 2;
const worker = join(dirname(fileURLToPath(import.meta.url)), 'tagged-source-worker.mjs');

function runPart(folder, count, { part, parts, children, onWritten }) {
  return new Promise((resolve, reject) => {
    const child = fork(worker, [folder, String(count), String(part), String(parts)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    child.on('message', (message) => onWritten(part, message.written));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`a tagged-source writer exited (${signal ?? code})`)),
    );
  });
}

/**
 * A cached folder of `count` small images with their captions (`img-000001.webp` +
 * `img-000001.txt`, …). Returns its path.
 */
export async function prepareTaggedSource(count, { progress = () => {} } = {}) {
  const folder = join(cacheRoot, `tagged-v${SOURCE_GENERATOR_VERSION}-${count}`);
  try {
    if ((await readdir(folder)).length === count * 2) return folder;
  } catch {
    // Not made yet.
  }
  const partial = `${folder}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const started = performance.now();
  const parts = Math.max(1, Math.min(availableParallelism(), Math.ceil(count / 1000)));
  const written = new Array(parts).fill(0);
  let reported = 0;
  const onWritten = (from, done) => {
    written[from] = done;
    const total = written.reduce((sum, value) => sum + value, 0);
    if (total - reported >= 10_000) {
      reported = total;
      progress(`wrote ${total}/${count} tagged source images`);
    }
  };
  const children = [];
  try {
    await Promise.all(
      Array.from({ length: parts }, (_, part) =>
        runPart(partial, count, { part, parts, children, onWritten }),
      ),
    );
  } catch (error) {
    // One writer failed: the others would only fill a folder that is thrown away.
    for (const child of children) child.kill();
    throw error;
  }
  await rm(folder, { recursive: true, force: true });
  await rename(partial, folder);
  const seconds = (performance.now() - started) / 1000;
  progress(`wrote ${count} tagged source images into ${folder} in ${seconds.toFixed(0)} s`);
  return folder;
}
