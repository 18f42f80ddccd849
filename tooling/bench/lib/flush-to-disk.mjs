// Writes every file's dirty pages to the disk (`sync`), so that a measured run rewrites files that
// are on the disk, as a dataset's captions are once they are some seconds old. Rewriting files
// created moments before is much cheaper (on ext4 a file replaced before it reached the disk was
// never given blocks): 100,000 caption files rewritten right after they were written took 12.5 s,
// and 19.4–22.5 s in every later pass, or right after a `sync`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** Runs `sync`; where there is none (Windows), does nothing. Resolves with the seconds it took. */
export async function flushToDisk() {
  const started = performance.now();
  await promisify(execFile)('sync').catch((error) => {
    if (error.code !== 'ENOENT') throw error;
  });
  return (performance.now() - started) / 1000;
}
