import path from 'node:path';
import {
  type AtomicFileSystem,
  nodeAtomicFileSystem,
  type OpenFile,
} from './atomic-file-system.js';
import {
  describeError,
  FileError,
  systemErrorCode,
  writeErrorAdvice,
  writeErrorCode,
} from './errors.js';
import { serialised } from './per-path-queue.js';
import { temporaryFileName } from './temporary-file-name.js';

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /**
   * Flush the file and its folder to disk before resolving, so the write survives a power cut.
   * Without it the write is still all-or-nothing for other processes and after a crash of
   * this one. Default `true`.
   */
  fsync?: boolean;
  /**
   * The permission bits of the file this write replaces, when the caller knows them to be
   * current (it wrote the file itself and has seen nobody change it since): the file is then not
   * looked up, one file-system call less per write. Default: looked up.
   */
  replacedMode?: number;
  /**
   * The folder to write the temporary file in (and, for a durable write, the second name of the
   * content replaced), instead of the folder of `filePath`: one on the same file system, so that
   * the rename stays atomic, and where a watcher of that folder does not see the temporary file
   * come and go (only the rename). It must exist. Sweep it with {@link sweepTempFiles} too.
   * Default: the folder of `filePath`.
   */
  temporaryFolder?: string;
  /**
   * Replace the file only if it still is what the caller last saw: called with the size, mtime
   * and kind of what is at `filePath` (`undefined` when nothing is) right before the rename. The
   * look is made in the turn of the event loop that queues the rename, so that only a change made
   * while the rename waits for a thread of libuv's pool (well under a millisecond, unless the pool
   * is crowded) can slip between them; the renames of many writes still run side by side. When
   * it returns `false` nothing is replaced, the temporary file is removed and the write resolves
   * with `replaced: false`. Default: always replace.
   */
  replaceIf?: (current: { size: number; mtimeMs: number; isFile: boolean } | undefined) => boolean;
}

/**
 * The file {@link writeFileAtomic} wrote, as the file system reports it right after the write
 * (an `fstat` of the new file before its rename, which changes neither its size nor its mtime).
 */
export interface WrittenFile {
  /** Size in bytes, as `fs.Stats#size`. */
  size: number;
  /** Modification time, exactly as `fs.Stats#mtimeMs` of a later `stat` of the path. */
  mtimeMs: number;
  /** The permission bits (`mode & 0o7777`): those of the file replaced, else the default. */
  mode: number;
  /** `false` when `replaceIf` refused: nothing was written. */
  replaced: boolean;
}

type Step =
  | 'stat'
  | 'open'
  | 'write'
  | 'fstat'
  | 'chmod'
  | 'fsync'
  | 'close'
  | 'rename'
  | 'folder fsync';

function stepFailed(target: string, step: Step, cause: unknown, outcome: string): FileError {
  const code = writeErrorCode(cause);
  return new FileError(
    code,
    `Could not write ${target}: the ${step} step failed (${describeError(cause)}). ${outcome}${writeErrorAdvice(code, path.dirname(target))}`,
    { cause, details: { path: target, step, systemCode: systemErrorCode(cause) } },
  );
}

/**
 * {@link writeFileAtomic} over a given file system (the real one, or one with a fault).
 * Cleanup after a failure is best effort on purpose: its own errors must not hide the
 * original one, and whatever it leaves is removed by {@link sweepTempFiles}.
 */
export async function writeFileAtomicUsing(
  fileSystem: AtomicFileSystem,
  filePath: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<WrittenFile> {
  const target = path.resolve(filePath);
  const durable = options.fsync ?? true;
  const folder = path.dirname(target);
  const scratch =
    options.temporaryFolder === undefined ? folder : path.resolve(options.temporaryFolder);
  const unchanged = 'The previous content is unchanged.';
  return serialised(target, async () => {
    let step: Step = 'open';
    const temporary = path.join(scratch, temporaryFileName(path.basename(target), 'tmp'));
    let backup: string | undefined;
    let handle: OpenFile | undefined;
    let created = false;
    let existed = false;
    let written: WrittenFile;
    // The mode of the file replaced is looked up while the temporary file is opened and
    // written, not before: one file-system call less on the way of each write.
    const modeLookup =
      options.replacedMode === undefined
        ? fileSystem.modeOf(target)
        : Promise.resolve(options.replacedMode & 0o7777);
    modeLookup.catch(() => undefined);
    try {
      handle = await fileSystem.openExclusive(temporary, undefined);
      created = true;
      step = 'write';
      await fileSystem.writeAll(handle, data);
      step = 'stat';
      const mode = await modeLookup;
      existed = mode !== undefined;
      step = 'fstat';
      const stats = await fileSystem.statFile(handle);
      written = {
        size: stats.size,
        mtimeMs: stats.mtimeMs,
        mode: stats.mode & 0o7777,
        replaced: true,
      };
      if (mode !== undefined && mode !== written.mode) {
        // Only when the replaced file's bits differ from the new file's default (changes the
        // ctime, not the mtime recorded above).
        step = 'chmod';
        await fileSystem.setMode(handle, mode);
        written.mode = mode;
      }
      if (durable) {
        step = 'fsync';
        await fileSystem.syncFile(handle);
      }
      step = 'close';
      const closing = handle;
      handle = undefined;
      await fileSystem.closeFile(closing);
      if (durable && existed) backup = await keepOldContent(fileSystem, target, scratch);
      step = 'rename';
      if (options.replaceIf === undefined || options.replaceIf(fileSystem.statNow(target))) {
        await fileSystem.rename(temporary, target);
      } else {
        await fileSystem.removeFile(temporary).catch(() => undefined);
        if (backup !== undefined) await fileSystem.removeFile(backup).catch(() => undefined);
        created = false;
        return { ...written, replaced: false };
      }
      created = false;
    } catch (error) {
      if (handle !== undefined) await fileSystem.closeFile(handle).catch(() => undefined);
      if (created) await fileSystem.removeFile(temporary).catch(() => undefined);
      if (backup !== undefined) await fileSystem.removeFile(backup).catch(() => undefined);
      throw stepFailed(target, step, error, unchanged);
    }
    if (!durable) return written;
    try {
      await fileSystem.syncDirectory(folder);
    } catch (error) {
      const outcome = await rollBack(fileSystem, { target, backup, existed });
      throw stepFailed(target, 'folder fsync', error, outcome);
    }
    if (backup !== undefined) await fileSystem.removeFile(backup).catch(() => undefined);
    return written;
  });
}

/**
 * Gives the current file a second name, so that if the new content cannot be made durable the
 * old one can be put back. Returns `undefined` when the file system cannot link (then a failed
 * folder fsync leaves the new content in place, and the error says so).
 */
async function keepOldContent(fileSystem: AtomicFileSystem, target: string, scratch: string) {
  const backup = path.join(scratch, temporaryFileName(path.basename(target), 'old'));
  try {
    await fileSystem.link(target, backup);
    return backup;
  } catch {
    return undefined;
  }
}

/** Undoes a rename whose folder could not be flushed, so that a failed write changes nothing. */
async function rollBack(
  fileSystem: AtomicFileSystem,
  written: { target: string; backup: string | undefined; existed: boolean },
): Promise<string> {
  try {
    if (!written.existed) {
      await fileSystem.removeFile(written.target);
      return 'The new file was removed again.';
    }
    if (written.backup === undefined) {
      return 'The new content is in place but may not survive a power cut.';
    }
    await fileSystem.rename(written.backup, written.target);
    return 'The previous content was put back.';
  } catch (error) {
    return `The new content is in place but may not survive a power cut (putting the old one back failed: ${describeError(error)}).`;
  }
}

/**
 * Replaces the content of `filePath` so that every reader, and the file after a crash or a
 * kill at any moment, sees either the complete old or the complete new content.
 *
 * Writes a temporary file in the same folder (or in `temporaryFolder`; opened exclusively),
 * flushes it, closes it, renames it over `filePath` and flushes the folder of `filePath`.
 * Writes to one path from this process run one after another, in call order. On any failure
 * the temporary file is removed, the old content stays (a rename whose folder flush fails is
 * undone) and the error is thrown.
 * A kill leaves at most a hidden temporary file, which {@link sweepTempFiles} removes.
 * An existing file keeps its permission bits (those given as `replacedMode`, when given).
 *
 * Resolves to the size, mtime and mode of the file written, taken from the open file before
 * the rename (no second lookup of the path): `size:mtimeMs` equals what a `stat` of
 * `filePath` reports afterwards, as long as nobody else changes the file.
 *
 * @throws {FileError} naming the path and the step that failed (`stat`, `open`, `write`,
 *   `fstat`, `chmod`, `fsync`, `close`, `rename`, `folder fsync`), with the code
 *   `fileSystemErrorCode` gives its system error: `DISK_FULL` (no space), `NOT_WRITABLE`
 *   (read-only or forbidden), else `IO_ERROR`; the system error is its `cause`.
 * @example
 * const { size, mtimeMs } = await writeFileAtomic('/data/sakura/sakura_0001.txt', 'sakura, 1girl');
 */
export function writeFileAtomic(
  filePath: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<WrittenFile> {
  return writeFileAtomicUsing(nodeAtomicFileSystem, filePath, data, options);
}
