import { ErrorCode, fileSystemErrorCode } from '@civtag/api-models';

/**
 * Why a write failed for want of room: `DISK_FULL` (no space), `NOT_WRITABLE` (a read-only disk
 * or no permission), else `undefined`. Taken from the error's code, or from the system code in
 * its details where a package still reports such a failure as `IO_ERROR`.
 */
export function noRoomCode(failure: unknown): 'DISK_FULL' | 'NOT_WRITABLE' | undefined {
  const { code, details } = (failure ?? {}) as { code?: unknown; details?: unknown };
  if (code === ErrorCode.DISK_FULL || code === ErrorCode.NOT_WRITABLE) return code;
  const systemCode = (details as { systemCode?: unknown } | undefined)?.systemCode;
  if (typeof systemCode !== 'string') return undefined;
  const mapped = fileSystemErrorCode(systemCode);
  return mapped === ErrorCode.IO_ERROR ? undefined : mapped;
}

/**
 * Did this error or import failure come from a disk without room (`DISK_FULL`, `NOT_WRITABLE`)?
 * Such a failure is the disk's, not the file's: an import stops on it rather than try every
 * other file, and a cache write skips it.
 */
export function isNoRoom(failure: unknown): boolean {
  return noRoomCode(failure) !== undefined;
}
