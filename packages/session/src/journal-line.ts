import { ClientIdSchema, formatIssuePath, OpIdSchema } from '@civtag/api-models';
import * as z from 'zod/mini';
import { crc32Hex } from './crc32.js';

/** The `(clientId, opId)` pair that makes an apply idempotent. */
export const IdempotencyKeySchema = z.object({ clientId: ClientIdSchema, opId: OpIdSchema });
export type IdempotencyKey = z.infer<typeof IdempotencyKeySchema>;

/** What one journal line of a single entry says: the revision it made, the entry, its key. */
export interface JournalRecord {
  rev: number;
  entry: unknown;
  key?: IdempotencyKey;
  /** Only in lines written by a writer that stored results; replay recomputes it otherwise. */
  result?: unknown;
}

/**
 * What one journal line of a batch says (`Session.applyMany`): the entries, in order, and the
 * revision the first of them that applies makes. The line is written and checked as a whole, so a
 * crash keeps all of the batch or none of it.
 */
export interface JournalBatchRecord {
  rev: number;
  entries: unknown[];
}

const JournalRecordSchema = z.object({
  rev: z.int().check(z.positive()),
  entry: z.unknown(),
  key: z.optional(IdempotencyKeySchema),
  result: z.optional(z.unknown()),
});

const JournalBatchRecordSchema = z.object({
  rev: z.int().check(z.positive()),
  entries: z.array(z.unknown()).check(z.minLength(1)),
});

/** `,"crc":"0123abcd"}` — the fixed-length tail every line ends with. */
const CHECKSUM_TAIL = /,"crc":"([0-9a-f]{8})"\}$/;
const CHECKSUM_TAIL_LENGTH = 18;

/**
 * One journal line, newline included: the record's JSON with a CRC-32 of that JSON appended as
 * its last field, so that a reader can check the line without serialising anything again.
 */
export function encodeJournalLine(record: JournalRecord | JournalBatchRecord): string {
  let fields: object;
  if (isBatchRecord(record)) fields = { rev: record.rev, entries: record.entries };
  else if (record.key === undefined) fields = { rev: record.rev, entry: record.entry };
  else fields = { rev: record.rev, entry: record.entry, key: record.key };
  const body = JSON.stringify(fields);
  return `${body.slice(0, -1)},"crc":"${crc32Hex(body)}"}\n`;
}

/** Why a line could not be read: the field at fault and the problem in words. */
export interface LineProblem {
  field: string;
  problem: string;
}

/** Reads one line (without its newline): the record, or what is wrong with it. */
export function decodeJournalLine(text: string): JournalRecord | JournalBatchRecord | LineProblem {
  const tail = CHECKSUM_TAIL.exec(text);
  if (tail === null)
    return { field: 'crc', problem: 'the line has no checksum (it was cut short)' };
  const body = `${text.slice(0, -CHECKSUM_TAIL_LENGTH)}}`;
  if (crc32Hex(body) !== tail[1]) {
    return { field: 'crc', problem: 'the checksum does not match the line' };
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return { field: '', problem: `the line is not JSON (${(error as Error).message})` };
  }
  const fields = typeof value === 'object' && value !== null ? value : {};
  const batch = Object.hasOwn(fields, 'entries');
  if (batch && Object.hasOwn(fields, 'entry'))
    return { field: 'entries', problem: 'a line holds either an entry or entries, not both' };
  const parsed = (batch ? JournalBatchRecordSchema : JournalRecordSchema).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { field: formatIssuePath(issue?.path ?? []), problem: issue?.message ?? 'invalid line' };
  }
  if (!batch && !Object.hasOwn(parsed.data, 'entry'))
    return { field: 'entry', problem: 'the entry is missing' };
  return parsed.data as JournalRecord | JournalBatchRecord;
}

/** True when `decoded` is a problem rather than a record. */
export function isLineProblem(
  decoded: JournalRecord | JournalBatchRecord | LineProblem,
): decoded is LineProblem {
  return 'problem' in decoded;
}

/** True for the line of a batch of entries. */
export function isBatchRecord(
  record: JournalRecord | JournalBatchRecord,
): record is JournalBatchRecord {
  return 'entries' in record;
}
