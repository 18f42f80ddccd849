import { ErrorCode } from '@civtag/api-models';

/** The codes of a write that failed for want of room: no space, or a folder that cannot be written. */
const NO_ROOM_CODES: ReadonlySet<string> = new Set([ErrorCode.DISK_FULL, ErrorCode.NOT_WRITABLE]);

/**
 * Did this error or import failure come from a disk without room (`DISK_FULL`, `NOT_WRITABLE`)?
 * Such a failure is the disk's, not the file's: an import stops on it rather than try every
 * other file, and a cache write skips it.
 */
export function isNoRoom(failure: unknown): boolean {
  const code = (failure as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && NO_ROOM_CODES.has(code);
}
