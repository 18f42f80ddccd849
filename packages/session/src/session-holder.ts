import { hostname } from 'node:os';
import { isAlive, readLockOwner } from './lock-owner.js';
import { SessionError } from './session-error.js';
import { sessionFiles } from './session-files.js';

/**
 * Whether a process holds the session in `dir` now, found by reading its lock and writing
 * nothing (trying to take the lock would create a file beside it). A lock left by a process on
 * this host that is gone does not count: opening the session would take it over. A lock file
 * civtag did not write counts as held, since opening would refuse it too.
 *
 * @throws SessionError `IO_ERROR` when the lock exists but cannot be read.
 */
export async function isSessionHeld(dir: string): Promise<boolean> {
  try {
    const owner = await readLockOwner(sessionFiles(dir).lock);
    if (owner === undefined) return false;
    return owner.host !== hostname() || isAlive(owner.pid);
  } catch (error) {
    if (error instanceof SessionError && error.code === 'SESSION_LOCKED') return true;
    throw error;
  }
}
