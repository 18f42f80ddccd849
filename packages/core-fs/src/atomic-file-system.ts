import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { type FileHandle, link, open, rename, stat, unlink } from 'node:fs/promises';

/**
 * The file-system steps of an atomic write, one function each, so that a test can make any
 * single step fail and check that nothing is left half-done.
 */
export interface AtomicFileSystem {
  /** The permission bits of an existing file, or `undefined` when there is none. */
  modeOf(path: string): Promise<number | undefined>;
  /**
   * Creates and opens a new file; fails with `EEXIST` if the name is taken. With a `mode`, the
   * file gets exactly those permission bits (the umask does not narrow them).
   */
  openExclusive(path: string, mode: number | undefined): Promise<FileHandle>;
  writeAll(handle: FileHandle, data: string | Uint8Array): Promise<void>;
  /** The status of an open file (`fstat`: no path lookup). */
  statFile(handle: FileHandle): Promise<Stats>;
  /** Sets the permission bits of an open file (`fchmod`); the umask does not narrow them. */
  setMode(handle: FileHandle, mode: number): Promise<void>;
  syncFile(handle: FileHandle): Promise<void>;
  closeFile(handle: FileHandle): Promise<void>;
  /** A second name for an existing file (used to keep the old content until the new is durable). */
  link(existingPath: string, newPath: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Makes a folder's entries (a rename, a new name) durable. */
  syncDirectory(path: string): Promise<void>;
  removeFile(path: string): Promise<void>;
}

/** Codes with which platforms say "a folder cannot be flushed here" (Windows, some network shares). */
const FOLDER_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'ENOTSUP', 'EPERM', 'EACCES']);

async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(directory, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0));
  } catch (error) {
    if (FOLDER_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!FOLDER_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

/** The real file system. */
export const nodeAtomicFileSystem: AtomicFileSystem = {
  async modeOf(path) {
    try {
      return (await stat(path)).mode & 0o7777;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  async openExclusive(path, mode) {
    const handle = await open(path, 'wx');
    if (mode === undefined) return handle;
    try {
      await handle.chmod(mode);
      return handle;
    } catch (error) {
      // The caller never saw this file: remove it here, or it would be left behind.
      await handle.close();
      await unlink(path).catch(() => undefined);
      throw error;
    }
  },
  async writeAll(handle, data) {
    await handle.writeFile(data);
  },
  statFile: (handle) => handle.stat(),
  setMode: (handle, mode) => handle.chmod(mode),
  syncFile: (handle) => handle.sync(),
  closeFile: (handle) => handle.close(),
  link: (existingPath, newPath) => link(existingPath, newPath),
  rename: (from, to) => rename(from, to),
  syncDirectory,
  removeFile: (path) => unlink(path),
};
