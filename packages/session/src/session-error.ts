import nodePath from 'node:path';
import {
  CivtagError,
  type CivtagErrorOptions,
  type ErrorCode,
  fileSystemErrorCode,
} from '@civtag/api-models';

/** The codes a session throws. */
export type SessionErrorCode = Extract<
  ErrorCode,
  | 'SESSION_LOCKED'
  | 'SESSION_CORRUPT'
  | 'SESSION_CLOSED'
  | 'VALIDATION'
  | 'IO_ERROR'
  | 'DISK_FULL'
  | 'NOT_WRITABLE'
>;

/**
 * An error of `@civtag/session`. `SESSION_LOCKED` carries `details: { pid, host, startedAt }`
 * of the owner; `SESSION_CORRUPT` carries `details: { file, line, field }`; `DISK_FULL`,
 * `NOT_WRITABLE` and `IO_ERROR` from a file operation carry `details: { path, systemCode }`.
 */
export class SessionError extends CivtagError {
  constructor(code: SessionErrorCode, message: string, options: CivtagErrorOptions = {}) {
    super(code, message, options);
    this.name = 'SessionError';
  }
}

/** Where a snapshot or journal could not be read. `line` counts from 1; `null` when unknown. */
export interface CorruptionSite {
  file: string;
  line: number | null;
  field: string;
}

/**
 * A `SESSION_CORRUPT` error naming the file, line and field, and saying that nothing was
 * overwritten, so that a person can look at the file before anything else happens.
 */
export function corruptError(site: CorruptionSite, problem: string, cause?: unknown): SessionError {
  const where = site.line === null ? site.file : `${site.file} line ${site.line}`;
  const field = site.field === '' ? '' : ` (field ${site.field})`;
  return new SessionError(
    'SESSION_CORRUPT',
    `Cannot open the session: ${where}${field}: ${problem}. Nothing was overwritten; ` +
      'move the damaged file aside or restore it (the previous snapshot is kept as session.json.prev).',
    { cause, details: { file: site.file, line: site.line, field: site.field } },
  );
}

/** The message of any thrown value, for embedding in a message of our own. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The errno-style code of a Node system error (`ENOENT`, `ESRCH`…), if it has one. */
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Wraps a failed file operation on `path` (a file or folder of the session) as `DISK_FULL`,
 * `NOT_WRITABLE` or `IO_ERROR` by its system code ({@link fileSystemErrorCode}), keeping a civtag
 * error as it is. A full or read-only disk gets the fix in its message: the folder to free space
 * on or to make writable. `outcome` says what became of the work (nothing saved, file unchanged).
 */
export function ioError(what: string, error: unknown, outcome: string, path: string): CivtagError {
  if (CivtagError.isInstance(error)) return error;
  const systemCode = systemErrorCode(error) ?? null;
  const code = fileSystemErrorCode(systemCode ?? undefined);
  const message = `${what} failed (${describeError(error)}). ${outcome}${remedy(code, path)}`;
  return new SessionError(code, message.trimEnd(), {
    cause: error,
    details: { path, systemCode },
  });
}

/** What a person does about a full or read-only disk under `path`; nothing for other faults. */
export function remedy(code: SessionErrorCode, path: string): string {
  const folder = nodePath.dirname(path);
  if (code === 'DISK_FULL') {
    return ` The disk holding ${folder} is full: free some space on it, then try again.`;
  }
  if (code === 'NOT_WRITABLE') {
    return (
      ` civtag may not write in ${folder} (a read-only disk, or missing permissions): ` +
      'make it writable, then try again.'
    );
  }
  return '';
}

/**
 * The error a session fails with when a reducer's `commit` throws after its entry was journaled:
 * the state in memory may be half-changed, and only a replay from the journal can tell.
 */
export function commitFailedError(revision: number, error: unknown): SessionError {
  return new SessionError(
    'IO_ERROR',
    `The reducer's commit threw after revision ${revision} was journaled (${describeError(error)}). ` +
      'The session accepts no more changes; close it and open it again to replay the journal.',
    { cause: error },
  );
}
