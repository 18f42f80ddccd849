// The physical floor of an import on this machine: `cp -r` of the source folder, then
// `vipsthumbnail` (libvips' own command line) making 256 px WebP thumbnails, as two parallel
// processes over halves of the file list, one per core.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Copies `sourceFolder` to `<destination>/images` and thumbnails the copies; returns seconds. */
export async function floorImport(sourceFolder, names, destination) {
  const started = performance.now();
  const images = join(destination, 'images');
  const thumbnails = join(destination, 'thumbs');
  await mkdir(destination, { recursive: true });
  await run('cp', ['-r', sourceFolder, images]);
  await mkdir(thumbnails, { recursive: true });
  const half = Math.ceil(names.length / 2);
  const halves = [names.slice(0, half), names.slice(half)].filter((list) => list.length > 0);
  await Promise.all(
    halves.map((list) =>
      run(
        'vipsthumbnail',
        ['--size', '256', '-o', `${thumbnails}/%s.webp`, ...list.map((name) => join(images, name))],
        { maxBuffer: 16 * 1024 * 1024 },
      ),
    ),
  );
  return (performance.now() - started) / 1000;
}
