import fs, { constants, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/**
 * An open file of {@link AtomicFileSystem}: a plain file descriptor. The steps of an atomic
 * write use Node's API on descriptors (callbacks, or a synchronous call where the step is small)
 * rather than `FileHandle`s: per file, no `FileHandle` object (an event emitter with a
 * close-on-collection hook) and no promise layer over each call; a bulk write of 10,000 captions spent about a third less CPU in these steps.
 * Whoever opens one closes it on every path (nothing closes it when it is collected).
 */
export type OpenFile = number;

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
  openExclusive(path: string, mode: number | undefined): Promise<OpenFile>;
  /**
   * Writes all of `data` from the start of the file (as many `write` calls as it takes); up to
   * {@link WRITE_HERE_BYTES}, on the calling thread.
   */
  writeAll(file: OpenFile, data: string | Uint8Array): Promise<void>;
  /** The status of an open file (`fstat`: no path lookup). */
  statFile(file: OpenFile): Promise<Stats>;
  /** Sets the permission bits of an open file (`fchmod`); the umask does not narrow them. */
  setMode(file: OpenFile, mode: number): Promise<void>;
  syncFile(file: OpenFile): Promise<void>;
  closeFile(file: OpenFile): Promise<void>;
  /** A second name for an existing file (used to keep the old content until the new is durable). */
  link(existingPath: string, newPath: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /**
   * A look at a path in the calling turn of the event loop (a system call that blocks it for its
   * few microseconds), for a rename queued right after it that must only replace what was looked
   * at. `undefined` when there is nothing at the path.
   */
  statNow(path: string): { size: number; mtimeMs: number; isFile: boolean } | undefined;
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

/** Settles a promise from a Node callback. */
function settle<T>(resolve: (value: T) => void, reject: (error: Error) => void) {
  return (error: Error | null, value?: T): void => {
    if (error === null) resolve(value as T);
    else reject(error);
  };
}

function call<T>(start: (done: (error: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => start(settle(resolve, reject)));
}

/**
 * Bytes up to this many are written on the calling thread. A small write only copies them into
 * the page cache, a few microseconds, and the trip through the thread pool and back (a queued
 * request, a worker woken, a callback and a promise settled) costs more than the write itself:
 * a bulk op rewriting 100,000 captions spent 1.17× the CPU of the bare temp + rename floor that
 * way, and 1.07× with this and {@link nodeAtomicFileSystem}'s `statFile` on this thread. Larger
 * data (a thumbnail of a big file, a snapshot) goes through the pool, so that the event loop
 * never waits long.
 */
export const WRITE_HERE_BYTES = 64 * 1024;

async function writeAll(file: OpenFile, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  let offset = 0;
  if (bytes.byteLength <= WRITE_HERE_BYTES) {
    // In an async function a failed write still rejects (ENOSPC stays a rejection).
    while (offset < bytes.byteLength)
      offset += fs.writeSync(file, bytes, offset, bytes.byteLength - offset, offset);
    return;
  }
  while (offset < bytes.byteLength) {
    const from = offset;
    const written = await call<number>((done) =>
      fs.write(file, bytes, from, bytes.byteLength - from, from, done),
    );
    offset += written;
  }
}

/** The real file system. */
export const nodeAtomicFileSystem: AtomicFileSystem = {
  modeOf(path) {
    return new Promise((resolve, reject) =>
      fs.stat(path, (error, stats) => {
        if (error === null) resolve(stats.mode & 0o7777);
        else if (error.code === 'ENOENT') resolve(undefined);
        else reject(error);
      }),
    );
  },
  async openExclusive(path, mode) {
    const file = await call<number>((done) => fs.open(path, 'wx', done));
    if (mode === undefined) return file;
    try {
      await call<void>((done) => fs.fchmod(file, mode, done));
      return file;
    } catch (error) {
      // The caller never saw this file: remove it here, or it would be left behind.
      await call<void>((done) => fs.close(file, done)).catch(() => undefined);
      await call<void>((done) => fs.unlink(path, done)).catch(() => undefined);
      throw error;
    }
  },
  writeAll,
  // An open file's status is read from its inode, with no path to look up and nothing to wait
  // for: on this thread, as small writes are (see WRITE_HERE_BYTES).
  statFile: async (file) => fs.fstatSync(file),
  setMode: (file, mode) => call<void>((done) => fs.fchmod(file, mode, done)),
  syncFile: (file) => call<void>((done) => fs.fsync(file, done)),
  closeFile: (file) => call<void>((done) => fs.close(file, done)),
  link: (existingPath, newPath) => call<void>((done) => fs.link(existingPath, newPath, done)),
  rename: (from, to) => call<void>((done) => fs.rename(from, to, done)),
  statNow: (path) => {
    const stats = fs.statSync(path, { throwIfNoEntry: false });
    return stats === undefined
      ? undefined
      : { size: stats.size, mtimeMs: stats.mtimeMs, isFile: stats.isFile() };
  },
  syncDirectory,
  removeFile: (path) => call<void>((done) => fs.unlink(path, done)),
};
