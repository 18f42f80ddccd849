import {
  decodeJournalLine,
  isLineProblem,
  type JournalBatchRecord,
  type JournalRecord,
} from './journal-line.js';
import { corruptError } from './session-error.js';

/** A record read back from the journal, with the line it came from (counting from 1). */
export interface ScannedRecord {
  record: JournalRecord | JournalBatchRecord;
  line: number;
}

/**
 * A last line that is complete (it ends in a newline) but fails its check. An interrupted append
 * leaves a line without its newline; a whole line that fails is damage to a line that may have
 * been acknowledged, so it is kept aside for a person rather than dropped.
 */
export interface DamagedLine {
  /** The line's number, counting from 1. */
  line: number;
  /** Where the line starts in the file, in bytes. */
  offset: number;
  /** The line's bytes, its newline included. */
  bytes: Buffer;
  /** What is wrong with it. */
  problem: string;
}

/** What a journal holds: its good records, and the torn tail a crash may have left. */
export interface JournalScan {
  records: ScannedRecord[];
  /** Bytes up to and including the last good line: where the next append must start. */
  goodBytes: number;
  /** Bytes after `goodBytes` (a torn last line), dropped on open. */
  tornBytes: number;
  /** Set when those bytes are a complete line that fails its check (see {@link DamagedLine}). */
  damaged?: DamagedLine;
}

const NEWLINE = 0x0a;

/**
 * Splits a journal's bytes into records. Only the last line may be bad, because a crash can
 * only interrupt the last append (a line without its newline, or whose checksum fails): it is
 * reported as torn. A bad line with a good one after it is damage, not a crash.
 *
 * @throws {SessionError} `SESSION_CORRUPT` naming `file`, the line and the field.
 */
export function scanJournal(bytes: Buffer, file: string): JournalScan {
  const records: ScannedRecord[] = [];
  let start = 0;
  let line = 0;
  let firstBad:
    | { line: number; start: number; end: number; field: string; problem: string }
    | undefined;
  while (start < bytes.length) {
    line += 1;
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline;
    const decoded =
      newline === -1
        ? { field: '', problem: 'the line has no newline (it was cut short)' }
        : decodeJournalLine(bytes.toString('utf8', start, end));
    if (isLineProblem(decoded)) {
      if (firstBad !== undefined) break;
      firstBad = { line, start, end: newline === -1 ? end : end + 1, ...decoded };
    } else {
      if (firstBad !== undefined) {
        throw corruptError({ file, line: firstBad.line, field: firstBad.field }, firstBad.problem);
      }
      records.push({ record: decoded, line });
    }
    start = end + 1;
  }
  if (firstBad !== undefined && start < bytes.length) {
    // Two bad lines in a row: more than one interrupted append can explain.
    throw corruptError({ file, line: firstBad.line, field: firstBad.field }, firstBad.problem);
  }
  const goodBytes = firstBad === undefined ? bytes.length : firstBad.start;
  const scan: JournalScan = { records, goodBytes, tornBytes: bytes.length - goodBytes };
  if (firstBad !== undefined && bytes[firstBad.end - 1] === NEWLINE) {
    scan.damaged = {
      line: firstBad.line,
      offset: firstBad.start,
      bytes: Buffer.from(bytes.subarray(firstBad.start, firstBad.end)),
      problem: firstBad.problem,
    };
  }
  return scan;
}
