import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  describeError,
  FileError,
  systemErrorCode,
  writeErrorAdvice,
  writeErrorCode,
} from './errors.js';

/**
 * Makes `folder` and any missing parents, like `mkdir -p`. Node's recursive `mkdir` reports a
 * read-only file system as `ENOENT`; this makes the first missing folder again on its own to
 * learn the real reason, so that the error says "read-only" or "full", not "no such file".
 *
 * @throws {FileError} `NOT_WRITABLE` (a read-only disk, no permission), `DISK_FULL`, or
 *   `IO_ERROR`, naming the folder that could not be made and what to do.
 */
export async function makeFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    const found = systemErrorCode(error) === 'ENOENT' ? await realCause(folder) : undefined;
    const cause = found?.cause ?? error;
    const failed = found?.folder ?? folder;
    const code = writeErrorCode(cause);
    throw new FileError(
      code,
      `Could not make the folder ${failed}: ${describeError(cause)}.${writeErrorAdvice(code, path.dirname(failed))}`,
      { cause, details: { path: failed, systemCode: systemErrorCode(cause) ?? null } },
    );
  }
}

/**
 * The first missing folder on the way to `folder` and the error of making it alone; `undefined`
 * when that worked after all (the recursive call's error then stands).
 */
async function realCause(folder: string): Promise<{ folder: string; cause: unknown } | undefined> {
  let child = path.resolve(folder);
  for (;;) {
    const parent = path.dirname(child);
    if (parent === child) return undefined;
    const exists = await stat(parent).then(
      () => true,
      () => false,
    );
    if (exists) break;
    child = parent;
  }
  try {
    await mkdir(child);
  } catch (cause) {
    return { folder: child, cause };
  }
  return undefined;
}
