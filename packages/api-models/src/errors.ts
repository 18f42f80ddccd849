/**
 * The stable error codes of civtag. A code never changes meaning once published;
 * the message beside it is for people and may be reworded.
 */
export const ErrorCode = {
  /** A value failed its schema or a rule (a tag with a comma, a prefix too long…). */
  VALIDATION: 'VALIDATION',
  /** The thing asked for (image id, job id, file) does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** The request contradicts the current state (a file civtag did not make is in the way…). */
  CONFLICT: 'CONFLICT',
  /** A path resolved outside the root it was meant to stay in. */
  PATH_OUTSIDE_ROOT: 'PATH_OUTSIDE_ROOT',
  /** An image could not be decoded (corrupt, truncated, unsupported). */
  IMAGE_UNREADABLE: 'IMAGE_UNREADABLE',
  /** An image is larger than the pixel limit (decompression-bomb guard). */
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  /** Another process holds the dataset's lock. */
  SESSION_LOCKED: 'SESSION_LOCKED',
  /** The session's snapshot or journal cannot be read; nothing was overwritten. */
  SESSION_CORRUPT: 'SESSION_CORRUPT',
  /** The session was closed, or is closing. */
  SESSION_CLOSED: 'SESSION_CLOSED',
  /**
   * The disk holding the dataset is full (or the user's quota is spent): nothing was written
   * and nothing was acknowledged. `details` carries `path` and, where known, `bytesNeeded`.
   */
  DISK_FULL: 'DISK_FULL',
  /**
   * The operating system refused to write (or read) a file or folder: a read-only file system,
   * missing permissions. `details` carries `path` and the system code (`EROFS`, `EACCES`, `EPERM`).
   */
  NOT_WRITABLE: 'NOT_WRITABLE',
  /** A file-system operation failed for a reason other than the above. */
  IO_ERROR: 'IO_ERROR',
  /** The request or frame is larger than its limit. */
  TOO_LARGE: 'TOO_LARGE',
  /** No valid access token was given. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** The Host, Origin or token check refused the request. */
  FORBIDDEN: 'FORBIDDEN',
  /** The server is shutting down; try again after it restarts. */
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  /** The work was cancelled by its caller. */
  CANCELLED: 'CANCELLED',
  /** The client's outgoing queue is full; the op was not queued. */
  QUEUE_FULL: 'QUEUE_FULL',
  /** The client is closed for good. */
  CLIENT_CLOSED: 'CLIENT_CLOSED',
  /** An operation took longer than its limit. */
  TIMEOUT: 'TIMEOUT',
  /** A frame or message does not follow the protocol. */
  PROTOCOL: 'PROTOCOL',
  /** A bug in civtag: the message says what was expected. */
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes whose operation may succeed if simply tried again later. */
export const RETRYABLE_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.SESSION_LOCKED,
  ErrorCode.SHUTTING_DOWN,
  ErrorCode.TIMEOUT,
  ErrorCode.IO_ERROR,
  ErrorCode.DISK_FULL,
]);

/** The system error codes that mean the disk is full. */
const DISK_FULL_SYSTEM_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT']);
/** The system error codes that mean the operating system refused access. */
const NOT_WRITABLE_SYSTEM_CODES: ReadonlySet<string> = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * The civtag code for a failed file operation, from its system code (`ENOSPC`, `EROFS`…):
 * `DISK_FULL`, `NOT_WRITABLE`, else `IO_ERROR`. The one place that decides it.
 */
export function fileSystemErrorCode(
  systemCode: string | undefined,
): Extract<ErrorCode, 'DISK_FULL' | 'NOT_WRITABLE' | 'IO_ERROR'> {
  if (systemCode !== undefined && DISK_FULL_SYSTEM_CODES.has(systemCode))
    return ErrorCode.DISK_FULL;
  if (systemCode !== undefined && NOT_WRITABLE_SYSTEM_CODES.has(systemCode)) {
    return ErrorCode.NOT_WRITABLE;
  }
  return ErrorCode.IO_ERROR;
}

const MARKER = Symbol.for('civtag.error');

export interface CivtagErrorOptions {
  /** The error that led to this one. */
  cause?: unknown;
  /** Machine-readable facts for the caller (a file, a line, a limit). Must be JSON-serialisable. */
  details?: Record<string, unknown>;
}

/**
 * The base of every error civtag throws on purpose.
 *
 * `code` is stable and meant for programs; `message` is for people and says what to do.
 * Use {@link CivtagError.isInstance} rather than `instanceof`: it also recognises errors
 * made by another copy of this package (two versions installed side by side).
 */
export class CivtagError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: CivtagErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CivtagError';
    this.code = code;
    this.details = options.details;
    // A symbol marker rather than `instanceof`, so that two installed copies recognise each other.
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
  }

  /** True for any civtag error, whichever copy of `@civtag/api-models` made it. */
  static isInstance(value: unknown): value is CivtagError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[MARKER] === true &&
      typeof (value as { code?: unknown }).code === 'string'
    );
  }

  /** True when `value` is a civtag error with the given code. */
  static hasCode(value: unknown, code: ErrorCode): value is CivtagError {
    return CivtagError.isInstance(value) && value.code === code;
  }
}

/** The JSON body of an error, as sent over HTTP and the socket. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/**
 * Turns any thrown value into the body a client may see. A civtag error keeps its code,
 * message and details; anything else becomes `INTERNAL` without leaking its message.
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (CivtagError.isInstance(error)) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return body;
  }
  return { error: { code: ErrorCode.INTERNAL, message: 'An unexpected error occurred.' } };
}
