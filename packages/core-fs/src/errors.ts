import { CivtagError, type CivtagErrorOptions, type ErrorCode } from '@civtag/api-models';

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
 * A file could not be read or written (`IO_ERROR`), is missing (`NOT_FOUND`), is in the way
 * (`CONFLICT`) or is larger than civtag reads (`TOO_LARGE`).
 */
export class FileError extends CivtagError {
  constructor(
    code: Extract<ErrorCode, 'IO_ERROR' | 'CONFLICT' | 'NOT_FOUND' | 'TOO_LARGE'>,
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
