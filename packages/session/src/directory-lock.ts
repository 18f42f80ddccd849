import { randomBytes, randomUUID } from 'node:crypto';
import { link, open, readdir, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { isAlive, type LockOwner, lockedError, readLockOwner } from './lock-owner.js';
import { ioError, SessionError, systemErrorCode } from './session-error.js';
import { syncDirectory } from './sync-directory.js';

/** How many times a takeover may lose a race to another opener before giving up. */
const ATTEMPTS = 20;

/**
 * Creates the lock file `file` for this process. The file appears complete or not at all: its
 * content is written under a temporary name and then linked into place, which fails when the
 * name is taken (the same guarantee as `O_EXCL`, without a moment where the lock is empty).
 * A lock left by a dead process on this host is taken over at once.
 *
 * @throws {SessionError} `SESSION_LOCKED` with `details: { pid, host, startedAt }` of the owner;
 *   `NOT_WRITABLE` or `DISK_FULL` (with `details.path`) when the lock cannot be written.
 */
export async function acquireLock(file: string): Promise<LockOwner> {
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    token: randomUUID(),
  };
  const temporary = temporaryBeside(file);
  try {
    try {
      await writeDurably(temporary, `${JSON.stringify(owner)}\n`);
    } catch (error) {
      // A read-only or full disk shows first here, at open: nothing was opened or changed.
      throw ioError(`Creating the lock ${file}`, error, 'The session was not opened.', file);
    }
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      try {
        await link(temporary, file);
        await syncDirectory(path.dirname(file));
        return owner;
      } catch (error) {
        if (systemErrorCode(error) !== 'EEXIST') throw ioError(`Creating ${file}`, error, '', file);
      }
      const current = await readLockOwner(file);
      if (current === undefined) continue;
      if (current.host !== owner.host || isAlive(current.pid)) throw lockedError(file, current);
      await takeOver(file, current);
    }
    throw new SessionError(
      'SESSION_LOCKED',
      `Could not take the lock ${file}: other processes kept taking it. Try again.`,
      { details: { pid: null, host: null, startedAt: null } },
    );
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** Removes the lock if it is still `owner`'s; a lock someone else holds now is left alone. */
export async function releaseLock(file: string, owner: LockOwner): Promise<void> {
  const current = await readLockOwner(file).catch(() => undefined);
  if (current?.token !== owner.token) return;
  await unlink(file).catch((error: unknown) => {
    if (systemErrorCode(error) !== 'ENOENT')
      throw ioError(`Removing the lock ${file}`, error, '', file);
  });
}

/**
 * Moves a dead owner's lock aside. Renaming is atomic, so of several processes taking over at
 * once exactly one moves the file; if what it moved turns out to be a newer, live lock (another
 * taker was faster), it is linked back at once.
 */
async function takeOver(file: string, stale: LockOwner): Promise<void> {
  // Narrows the window in which a faster taker's fresh lock could be moved (and put back).
  const again = await readLockOwner(file).catch(() => undefined);
  if (again?.token !== stale.token) return;
  const aside = temporaryBeside(file);
  try {
    await rename(file, aside);
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return;
    throw ioError(`Taking over the stale lock ${file}`, error, '', file);
  }
  try {
    const moved = await readLockOwner(aside).catch(() => undefined);
    if (moved?.token !== stale.token) {
      await link(aside, file).catch(() => undefined);
    }
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

/**
 * A name beside the lock for this process's pending lock content. Not the name the atomic-write
 * sweep removes: a sweep by the owner must not pull the file from under a process queueing for
 * the lock. {@link removeDeadPendingFiles} clears those a killed process left.
 */
function temporaryBeside(file: string): string {
  const name = `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}${PENDING}`;
  return path.join(path.dirname(file), name);
}

const PENDING = '.civtag-lock';

/** Removes the pending lock files of processes on this host that are gone. */
export async function removeDeadPendingFiles(file: string): Promise<void> {
  const folder = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(PENDING)) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && !isAlive(pid))
      await unlink(path.join(folder, name)).catch(() => undefined);
  }
}

/** Writes a new file and flushes it, so that a lock never survives a power cut empty. */
async function writeDurably(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
