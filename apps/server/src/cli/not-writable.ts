import { CivtagError, ErrorCode } from '@civtag/api-models';

/** The commands that read a dataset without writing in its folder. */
export const READ_ONLY_COMMANDS = '`civtag stats`, `civtag check` or `civtag export`';

/**
 * A dataset that could not be opened to change it because its folder may not be written (a
 * read-only disk, missing permissions) says so in one line, with both ways out: make the folder
 * writable, or read it with a command that writes nothing there. Any other error is returned
 * as it is.
 */
export function notWritableDataset(dir: string, error: unknown): unknown {
  if (!CivtagError.hasCode(error, ErrorCode.NOT_WRITABLE)) return error;
  const systemCode = error.details?.systemCode;
  const why =
    systemCode === 'EROFS' ? 'it is on a read-only disk' : 'this user may not write in it';
  return new CivtagError(
    ErrorCode.NOT_WRITABLE,
    `Cannot open ${dir} to change it: ${why}` +
      `${typeof systemCode === 'string' ? ` (${systemCode})` : ''}. ` +
      `Make ${dir} writable, or open it read-only with ${READ_ONLY_COMMANDS}.`,
    { cause: error, details: { ...error.details, dir } },
  );
}
