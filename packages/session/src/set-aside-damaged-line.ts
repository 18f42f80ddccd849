import { writeFileAtomic } from '@civtag/core-fs';
import type { DamagedLine } from './scan-journal.js';
import { ioError } from './session-error.js';
import type { SessionWarning } from './session-warning.js';

/** Where a damaged last line of `journal` starting at byte `offset` is kept. */
export function damagedLineFile(journal: string, offset: number): string {
  return `${journal}.damaged-at-${offset}`;
}

/**
 * Writes `damaged` durably to a file beside `journal` before the journal is cut back, so that a
 * complete line that fails its check (damage to a line that may have been acknowledged, not an
 * interrupted append) is never dropped unseen. Writing the same line again (a second open before
 * the cut) gives the same file.
 *
 * @throws {CivtagError} `DISK_FULL`, `NOT_WRITABLE` or `IO_ERROR`: the journal is then not cut.
 */
export async function setAsideDamagedLine(
  journal: string,
  damaged: DamagedLine,
): Promise<SessionWarning> {
  const file = damagedLineFile(journal, damaged.offset);
  try {
    await writeFileAtomic(file, damaged.bytes);
  } catch (error) {
    throw ioError(
      `Keeping the damaged last line of ${journal} (line ${damaged.line}, byte ${damaged.offset}) in ${file}`,
      error,
      'The journal was not changed.',
      file,
    );
  }
  return {
    code: 'JOURNAL_LINE_SET_ASIDE',
    message:
      `The last line of ${journal} (line ${damaged.line}, at byte ${damaged.offset}) is complete ` +
      `but damaged: ${damaged.problem}. It was left out of the state and kept in ${file}. ` +
      'If it held an edit you need, make that edit again; delete the file once you have looked at it.',
    details: { journal, file, offset: damaged.offset, line: damaged.line },
  };
}
