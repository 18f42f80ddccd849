import { type Stats, statSync } from 'node:fs';
import { link, mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import {
  type WriteFileAtomicOptions,
  type WrittenFile,
  writeFileAtomic,
  writeSidecar,
} from '@civtag/core-fs';
import { formatCaption } from '@civtag/tags';
import { type CaptionStyle, captionToFormat, textHash } from './caption-text.js';
import { captionFileName } from './naming.js';
import type { OwnCaptionWrites } from './own-caption-writes.js';
import { runBounded } from './run-bounded.js';
import type { ImageState } from './state-schema.js';

/** How many caption files are written at once (MEASURED.md: 16 in flight is the sweet spot). */
export const WRITE_CONCURRENCY = 16;

/** The folder inside a dataset where civtag keeps its session, thumbnails and trash. */
export const CIVTAG_FOLDER = '.civtag';

/** Where a dataset keeps excluded images, relative to the dataset folder. */
export const TRASH_FOLDER = path.join(CIVTAG_FOLDER, 'trash');

/**
 * Where the temporary files of caption writes into the dataset folder are written, relative to
 * the dataset folder: on the same file system (the rename into place stays atomic), and outside
 * the folder watcher's sight (it watches the dataset folder alone, not its subfolders), so that
 * only the rename of each caption reaches it. Made on the first caption write, not on open.
 */
export const CAPTION_TEMP_FOLDER = path.join(CIVTAG_FOLDER, 'tmp');

/** The folder an image and its caption live in: the dataset folder, or the trash when excluded. */
export function imageFolder(dir: string, image: Pick<ImageState, 'excluded'>): string {
  return image.excluded ? path.join(dir, TRASH_FOLDER) : dir;
}

/** The caption file of an image, where it lives now. */
export function captionPath(dir: string, image: Pick<ImageState, 'excluded' | 'file'>): string {
  return path.join(imageFolder(dir, image), captionFileName(image.file));
}

/**
 * `size:mtimeMs` of a file, or `none` when there is none: a cheap "has it changed?" stamp.
 * {@link writeCaption} records the same stamp from the written file itself.
 */
export async function fileStamp(file: string): Promise<string> {
  return (await fileStatus(file)).stamp;
}

/** What {@link fileStatus} tells of a caption file. */
export interface FileStatus {
  stamp: string;
  mode?: number;
  plain?: boolean;
}

/**
 * {@link fileStamp} and the permission bits of the file (`undefined` when there is none), and
 * whether it is a plain file (not a folder in the way).
 */
export async function fileStatus(file: string): Promise<FileStatus> {
  try {
    return statusOf(await stat(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { stamp: 'none' };
    throw statusError(file, error);
  }
}

/**
 * {@link fileStatus} looked up at once, on this thread: for many files on a local disk, where a
 * trip through the thread pool costs ten times the look itself (a comparison of 100,000
 * captions: 5.5 s of CPU through the pool).
 */
export function fileStatusNow(file: string): FileStatus {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats === undefined ? { stamp: 'none' } : statusOf(stats);
  } catch (error) {
    throw statusError(file, error);
  }
}

function statusOf(stats: Stats): FileStatus {
  return {
    stamp: `${stats.size}:${stats.mtimeMs}`,
    mode: stats.mode & 0o7777,
    plain: stats.isFile(),
  };
}

function statusError(file: string, cause: unknown): CivtagError {
  return new CivtagError(ErrorCode.IO_ERROR, `Could not read the status of ${file}.`, {
    cause,
    details: { path: file },
  });
}

/**
 * Writes one image's caption file as its state says (removed when it has no tags) and records
 * on the image what was written (`written`) and the file's stamp (`seen`). The text is taken
 * from the state before the first await. A caption renamed into the dataset folder is announced
 * to `own` first, so that the folder watcher knows the event for civtag's own, and keeps the
 * permission bits `own` knows it has, without looking them up, when nobody else touched it.
 * A caption of the dataset folder is written through a temporary file in `temporaryFolder` when
 * given (an existing folder on the same file system: see {@link CAPTION_TEMP_FOLDER}); one in
 * the trash, through a temporary file beside it.
 *
 * A caption of the dataset folder that someone else may have changed since civtag last saw it
 * is not written over: the file is looked up first, and when its stamp is not `image.seen` it is
 * left as it is and `false` returned (take the edit in, then write again). "May have" is what
 * `own` knows: an event of the folder watcher not civtag's own came for that name, or civtag
 * does not know its permission bits (then the lookup it needs anyway is the one that compares).
 * A caption nobody else touched is written without that lookup. Either way, right before the
 * rename, in the turn of the event loop that queues it, the file is looked at once more and must
 * still have the stamp `image.seen` (`writeFileAtomic`'s `replaceIf`): an edit whose watcher
 * event has not been read yet (the event loop was busy) is not written over either. Only an edit
 * made while the rename waits for a thread (well under a millisecond) can be: a rename cannot
 * compare and swap.
 *
 * @returns `true` once written; `false` when the file was edited and left as it is.
 */
export async function writeCaption(
  dir: string,
  image: ImageState,
  options: { style: CaptionStyle; own?: OwnCaptionWrites; temporaryFolder?: string },
): Promise<boolean> {
  const file = captionPath(dir, image);
  const { content, options: format } = captionToFormat(image, options.style);
  const text = formatCaption(content, format);
  // The trash is not watched: there civtag knows nothing of who touched a file.
  const own = image.excluded ? undefined : options.own;
  const name = captionFileName(image.file);
  let replacedMode = own?.modeFor(image, name);
  // An image civtag has seen no file of (just imported) has no edit to lose.
  if (!image.excluded && replacedMode === undefined && image.seen !== undefined) {
    const { stamp, mode, plain } = await fileStatus(file);
    // Not a plain file (a folder in the way): no edit, and the write fails as it should.
    if (stamp !== image.seen && plain !== false) return false;
    replacedMode = mode;
  }
  if (text === '') {
    // Nothing to write: the sidecar is removed (kohya refuses an empty caption file).
    await writeSidecar(file, content, format);
    image.seen = await fileStamp(file);
  } else {
    const temporaryFolder = image.excluded ? undefined : options.temporaryFolder;
    // The last word: right before the rename, in the turn of the event loop that queues it, the
    // file must still be what civtag last saw, whatever the watcher has had time to report.
    const seen = image.seen;
    const replaceIf =
      image.excluded || seen === undefined
        ? undefined
        : (current: { size: number; mtimeMs: number; isFile: boolean } | undefined) =>
            // Not a plain file (a folder in the way): no edit, and the rename fails as it should.
            current?.isFile === false ||
            (current === undefined ? 'none' : `${current.size}:${current.mtimeMs}`) === seen;
    own?.expect(name);
    let written: WrittenFile;
    try {
      written = await writeThrough(file, text, { replacedMode, temporaryFolder, replaceIf });
    } catch (error) {
      // Nothing was renamed: no event of civtag's own will come.
      own?.cancel(name);
      throw error;
    }
    if (!written.replaced) {
      // Edited since civtag last saw it, after the look above: left as it is, to be taken in.
      own?.cancel(name);
      return false;
    }
    own?.knowMode(image, written.mode);
    // The stamp comes from the written file before its rename (which keeps size and mtime),
    // so no second lookup of the path; it equals what `fileStamp` finds on the next open.
    image.seen = `${written.size}:${written.mtimeMs}`;
  }
  image.written = textHash(text);
  return true;
}

/**
 * Writes a caption atomically (no fsync) through a temporary file in `temporaryFolder` when
 * given. When that folder is gone (removed by hand while civtag runs), it is made again, or
 * else the temporary file goes beside the caption: still one rename into the caption's folder.
 * So it does when the folder is on another file system than the caption (the rename fails).
 */
async function writeThrough(
  file: string,
  text: string,
  options: {
    replacedMode?: number;
    temporaryFolder?: string;
    replaceIf?: WriteFileAtomicOptions['replaceIf'];
  },
): Promise<WrittenFile> {
  const { replacedMode, temporaryFolder, replaceIf } = options;
  let made = false;
  try {
    return await writeFileAtomic(file, text, {
      fsync: false,
      replacedMode,
      temporaryFolder,
      replaceIf,
    });
  } catch (error) {
    if (temporaryFolder === undefined) throw error;
    if (failedAt(error, 'open', 'ENOENT')) made = await makeTemporaryFolder(temporaryFolder);
    // Else `.civtag` on another file system (a link to elsewhere), whose rename cannot cross
    // into the dataset folder: the temporary file goes beside the caption.
    else if (!failedAt(error, 'rename', 'EXDEV')) throw error;
  }
  return writeFileAtomic(file, text, {
    fsync: false,
    replacedMode,
    temporaryFolder: made ? temporaryFolder : undefined,
    replaceIf,
  });
}

/** Did a write of `writeFileAtomic` fail at `step` with the system error `code`? */
function failedAt(error: unknown, step: string, code: string): boolean {
  if (!(error instanceof CivtagError)) return false;
  const details = error.details as { step?: unknown; systemCode?: unknown } | undefined;
  return details?.step === step && details.systemCode === code;
}

/**
 * Makes the folder of {@link CAPTION_TEMP_FOLDER} (its parent, the `.civtag` folder, must exist:
 * a dataset folder removed meanwhile is not made again). True when it exists now.
 */
export async function makeTemporaryFolder(folder: string): Promise<boolean> {
  try {
    await mkdir(folder);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EEXIST';
  }
}

/**
 * Moves an image and its caption between the dataset folder and the trash, to where its
 * `excluded` flag says. Never overwrites: a file already at the destination stays, and the
 * image stays where it is (`check()` then reports it). Nothing is deleted.
 */
export async function moveImageFiles(dir: string, images: readonly ImageState[]): Promise<void> {
  await runBounded(images, WRITE_CONCURRENCY, async (image) => {
    const from = imageFolder(dir, { excluded: !image.excluded });
    const to = imageFolder(dir, image);
    for (const name of [image.file, captionFileName(image.file)]) {
      await moveWithoutOverwrite(path.join(from, name), path.join(to, name));
    }
  });
}

async function moveWithoutOverwrite(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EEXIST') return;
    // A file system without hard links: rename, after making sure nothing is in the way.
    if ((await fileStamp(to)) !== 'none') return;
    await rename(from, to);
    return;
  }
  await unlink(from);
}

/**
 * The images whose file is not where their `excluded` flag says (a crash between the journal
 * and the move): an excluded image still in the dataset folder, or an included one in the
 * trash. Two folder listings, whatever the number of images.
 */
export async function findMisplacedImages(
  dir: string,
  images: readonly ImageState[],
): Promise<ImageState[]> {
  const inFolder = new Set(await readdir(dir));
  const inTrash = new Set(await readdir(path.join(dir, TRASH_FOLDER)).catch(() => [] as string[]));
  return images.filter((image) =>
    image.excluded
      ? inFolder.has(image.file)
      : inTrash.has(image.file) && !inFolder.has(image.file),
  );
}
