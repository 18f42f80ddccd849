import {
  CivtagError,
  type CivtagErrorOptions,
  type ErrorCode,
  fileSystemErrorCode,
} from '@civtag/api-models';

/**
 * A path was refused by {@link resolveInsideRoot}: it leaves its root, or could not be
 * checked. Always has the code `PATH_OUTSIDE_ROOT`.
 */
export class PathOutsideRootError extends CivtagError {
  constructor(message: string, options: CivtagErrorOptions = {}) {
    super('PATH_OUTSIDE_ROOT', message, options);
    this.name = 'PathOutsideRootError';
  }
}

/**
 * A file could not be read or written (`IO_ERROR`), not for lack of space (`DISK_FULL`) or
 * because its folder is read-only or forbidden (`NOT_WRITABLE`), is missing (`NOT_FOUND`), is in
 * the way (`CONFLICT`) or is larger than civtag reads (`TOO_LARGE`).
 */
export class FileError extends CivtagError {
  constructor(
    code: Extract<
      ErrorCode,
      'IO_ERROR' | 'DISK_FULL' | 'NOT_WRITABLE' | 'CONFLICT' | 'NOT_FOUND' | 'TOO_LARGE'
    >,
    message: string,
    options: CivtagErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = 'FileError';
  }
}

/** An image could not be decoded (`IMAGE_UNREADABLE`) or is over the pixel limit (`IMAGE_TOO_LARGE`). */
export class ImageError extends CivtagError {
  constructor(
    code: Extract<ErrorCode, 'IMAGE_UNREADABLE' | 'IMAGE_TOO_LARGE'>,
    message: string,
    options: CivtagErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = 'ImageError';
  }
}

/** The errno-style code of a Node system error (`ENOENT`, `EBUSY`…), if it has one. */
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The message of any thrown value, for embedding in a message of our own. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The code of a failed write or removal: `DISK_FULL`, `NOT_WRITABLE`, else `IO_ERROR`. */
export function writeErrorCode(error: unknown): 'DISK_FULL' | 'NOT_WRITABLE' | 'IO_ERROR' {
  return fileSystemErrorCode(systemErrorCode(error));
}

/**
 * What a user can do about a failed write in `folder`, said after its message: free space, or
 * make the folder writable; nothing for any other failure (the system's message says it).
 */
export function writeErrorAdvice(code: string, folder: string): string {
  if (code === 'DISK_FULL') return ` The disk holding ${folder} is full: free some space on it.`;
  if (code === 'NOT_WRITABLE')
    return ` ${folder} cannot be written (a read-only disk or no permission): make it writable.`;
  return '';
}
