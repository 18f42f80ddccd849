// A fast copy of a civtag dataset folder for a benchmark to change: images and thumbnails become
// hard links (civtag never writes an image or a thumbnail in place: a new thumbnail is a new file
// renamed over the old, a removed image is unlinked), everything else (captions, the session
// and journal, the trash) a real copy with its timestamps, so that civtag finds every caption
// as it last saw it. With 100k images that is 300k files, of which only the 100k captions and a
// handful of session files are written.
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';

const execute = promisify(execFile);
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.jpe', '.jfif', '.webp']);
/** Paths per `cp` process: well under the limit on a command line's length. */
const PATHS_PER_COMMAND = 4000;

/** Everything under `root` (relative paths): the folders, the files to link and those to copy. */
async function sortEntries(root) {
  const folders = [];
  const link = [];
  const copy = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const relative = join(entry.parentPath ?? entry.path, entry.name).slice(root.length + 1);
    if (entry.isDirectory()) {
      folders.push(relative);
      continue;
    }
    const immutable =
      relative.startsWith(`.civtag/thumbs/`) ||
      (!relative.startsWith('.civtag/') && IMAGE_EXTENSIONS.has(extname(relative).toLowerCase()));
    (immutable ? link : copy).push(relative);
  }
  return { folders, link, copy };
}

async function copyInChunks(root, destination, paths, flags) {
  for (let start = 0; start < paths.length; start += PATHS_PER_COMMAND) {
    await execute(
      'cp',
      [
        ...flags,
        '--parents',
        '-t',
        destination,
        '--',
        ...paths.slice(start, start + PATHS_PER_COMMAND),
      ],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    );
  }
}

/**
 * Copies the dataset folder `from` to `to` (replacing whatever is at `to`): images and thumbnails
 * hard-linked, the rest copied with their modes and timestamps.
 */
export async function copyDatasetFolder(from, to) {
  await rm(to, { recursive: true, force: true });
  const { folders, link, copy } = await sortEntries(from);
  // Every folder first, the empty ones (the trash) included.
  await mkdir(to, { recursive: true });
  for (const folder of folders) await mkdir(join(to, folder), { recursive: true });
  await copyInChunks(from, to, link, ['-l']);
  // Mode and timestamps: civtag knows a caption by its size and mtime; extended attributes and
  // owners would cost more calls per file and mean nothing here.
  await copyInChunks(from, to, copy, ['--preserve=mode,timestamps']);
}
