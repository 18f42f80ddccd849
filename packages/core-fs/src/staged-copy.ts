import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { claimName, conflict } from './copy-into-dataset.js';
import { type DirectWriteBuffers, writeNewFileFlushed } from './direct-write.js';
import {
  describeError,
  FileError,
  systemErrorCode,
  writeErrorAdvice,
  writeErrorCode,
} from './errors.js';
import { temporaryFileName } from './temporary-file-name.js';

/**
 * A copy written into a folder under a hidden temporary name, waiting for its final name: an
 * import writes it beside other images' work, and names it later, in order. A crash leaves only
 * the temporary file, which {@link sweepTempFiles} removes.
 */
export interface StagedCopy {
  /** Where the copy waits. */
  readonly path: string;
  /**
   * Gives the copy its final name in the same folder, never over an existing file. The name is
   * durable once the folder is flushed (`syncFolder`), which one call can do for many copies.
   *
   * @throws {FileError} `CONFLICT` when `destination` exists (the copy keeps waiting, so another
   *   name can be tried); `IO_ERROR` when it is not in the copy's folder or cannot be made
   *   (`DISK_FULL` or `NOT_WRITABLE` when the folder has no space or cannot be written).
   */
  claim(destination: string): Promise<void>;
  /** Removes the copy unless it was claimed; safe to call more than once. */
  discard(): Promise<void>;
}

/** Options of {@link stageCopy}. */
export interface StageCopyOptions {
  /** A name the temporary file is recognisable by (the source's name). Default `copy`. */
  name?: string;
  /** Flush the bytes to disk before resolving, so that a claimed name never shows a torn file. Default `true`. */
  fsync?: boolean;
  /**
   * Aligned memory to write a flushed copy past the page cache with, where the disk takes that:
   * less work for the machine when many copies are made (an import). Default: through the cache.
   */
  buffers?: DirectWriteBuffers | undefined;
}

/**
 * Writes `bytes` to a new hidden temporary file in `folder` (flushed to disk unless `fsync:
 * false`) and returns it as a {@link StagedCopy} to claim a name for.
 *
 * @throws {FileError} `DISK_FULL` when the disk is full, `NOT_WRITABLE` when the folder is
 *   read-only or forbidden, `IO_ERROR` for another failure (nothing is left behind either way).
 */
export async function stageCopy(
  bytes: Uint8Array,
  folder: string,
  options: StageCopyOptions = {},
): Promise<StagedCopy> {
  const directory = path.resolve(folder);
  const temporary = path.join(directory, temporaryFileName(options.name ?? 'copy', 'tmp'));
  try {
    await writeNewFileFlushed(temporary, bytes, {
      fsync: options.fsync ?? true,
      buffers: options.buffers,
    });
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    const code = writeErrorCode(error);
    throw new FileError(
      code,
      `Could not write a copy into ${directory}: ${describeError(error)}.${writeErrorAdvice(code, directory)}`,
      {
        cause: error,
        details: { path: temporary },
      },
    );
  }
  return new WaitingCopy(temporary);
}

class WaitingCopy implements StagedCopy {
  readonly path: string;
  #settled = false;

  constructor(temporary: string) {
    this.path = temporary;
  }

  async claim(destination: string): Promise<void> {
    const target = path.resolve(destination);
    if (this.#settled) {
      throw new FileError('IO_ERROR', `The copy for ${target} was already named or removed.`, {
        details: { path: target },
      });
    }
    if (path.dirname(target) !== path.dirname(this.path)) {
      throw new FileError(
        'IO_ERROR',
        `Cannot name the copy ${target}: it must stay in ${path.dirname(this.path)}.`,
        { details: { path: target } },
      );
    }
    try {
      await claimName(this.path, target);
    } catch (error) {
      if (systemErrorCode(error) === 'EEXIST') throw conflict(target, error);
      const code = writeErrorCode(error);
      throw new FileError(
        code,
        `Could not name the copy ${target}: ${describeError(error)}.${writeErrorAdvice(code, path.dirname(target))}`,
        {
          cause: error,
          details: { path: target },
        },
      );
    }
    this.#settled = true;
    // With hard links the temporary name is still there; a crash now leaves it to the sweep.
    await unlink(this.path).catch(() => undefined);
  }

  async discard(): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    await unlink(this.path).catch(() => undefined);
  }
}
