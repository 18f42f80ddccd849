import { readFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import { ioError, SessionError, systemErrorCode } from './session-error.js';

/** Who holds a session's lock. `token` tells this holder from a later one with the same pid. */
export const LockOwnerSchema = z.object({
  pid: z.int(),
  host: z.string(),
  startedAt: z.string(),
  token: z.string(),
});
export type LockOwner = z.infer<typeof LockOwnerSchema>;

/** The lock's owner, or `undefined` when there is no lock file. */
export async function readLockOwner(file: string): Promise<LockOwner | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return undefined;
    throw ioError(`Reading the lock ${file}`, error, '', file);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = LockOwnerSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new SessionError(
    'SESSION_LOCKED',
    `The lock ${file} is not one civtag wrote. If no civtag process uses this dataset, remove it.`,
    { details: { pid: null, host: null, startedAt: null } },
  );
}

/** False only when the process is known to be gone (`ESRCH`); another user's process is alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return systemErrorCode(error) !== 'ESRCH';
  }
}

/** `SESSION_LOCKED`, naming the owner. */
export function lockedError(file: string, owner: LockOwner): SessionError {
  return new SessionError(
    'SESSION_LOCKED',
    `The dataset is in use by process ${owner.pid} on ${owner.host} since ${owner.startedAt} ` +
      `(lock ${file}). Close that civtag first; a lock left by a process that died is taken over.`,
    { details: { pid: owner.pid, host: owner.host, startedAt: owner.startedAt } },
  );
}
