import { createHash, randomBytes } from 'node:crypto';
import { link, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import {
  CivtagError,
  ClientIdSchema,
  ErrorCode,
  fileSystemErrorCode,
  formatIssuePath,
  OpIdSchema,
} from '@civtag/api-models';
import { writeFileAtomic } from '@civtag/core-fs';
import * as z from 'zod/mini';
import { jsonErrorLine } from './json-error-line.js';
import { corruptError, ioError, remedy, SessionError, systemErrorCode } from './session-error.js';

/** A remembered idempotency key as the snapshot stores it. */
export const RememberedKeySchema = z.object({
  clientId: ClientIdSchema,
  opId: OpIdSchema,
  revision: z.int().check(z.positive()),
  result: z.unknown(),
});
export type RememberedKey = z.infer<typeof RememberedKeySchema>;

const SnapshotEnvelopeSchema = z.object({
  version: z.int().check(z.nonnegative()),
  revision: z.int().check(z.nonnegative()),
  state: z.unknown(),
  keys: z.array(RememberedKeySchema),
  savedAt: z.string(),
  stateSha256: z.optional(z.string()),
  schemaSha256: z.optional(z.string()),
  stateLength: z.optional(z.int().check(z.nonnegative())),
});

/** The content of `session.json`: the state at `revision`, and the keys it has seen lately. */
export interface Snapshot {
  version: number;
  revision: number;
  state: unknown;
  keys: RememberedKey[];
  savedAt: string;
  /**
   * sha256 of the state's JSON as written. When the state read back hashes the same, it is
   * exactly what a validated session wrote, and opening skips validating it again (at 100k
   * images, validation costs several times the parse).
   */
  stateSha256?: string;
  /**
   * The fingerprint of the state schema the state was validated with (`schemaFingerprint`):
   * `stateSha256` vouches for the state only under that schema. Missing in snapshots written
   * before it, which are then validated once.
   */
  schemaSha256?: string;
  /**
   * The length of the state's JSON text, which ends the file: the text read back is hashed as
   * it is, without serialising the parsed state again.
   */
  stateLength?: number;
}

/** The hex sha256 of a state's JSON text. */
export function hashStateText(stateText: string): string {
  return createHash('sha256').update(stateText).digest('hex');
}

/** The key that comes right before the state's text at the end of a snapshot file. */
const STATE_KEY = ',"state":';

/**
 * True when the snapshot's state is exactly the text whose hash it recorded: `stateHash` is the
 * hash of the state's own bytes as read (when the snapshot says where they are); without it,
 * the parsed state is serialised again (snapshots written before `stateLength`).
 */
export function isStateIntact(snapshot: Snapshot, stateHash?: string): boolean {
  if (snapshot.stateSha256 === undefined) return false;
  return (stateHash ?? hashStateText(JSON.stringify(snapshot.state))) === snapshot.stateSha256;
}

/**
 * The sha256 of the state's bytes at the end of a snapshot file (`bytes`, decoded as `text`),
 * where `stateLength` says its text is. The bytes are hashed as read: hashing the decoded text
 * would encode 27 MB (at 100k images) back to UTF-8 first. Bytes that were not valid UTF-8 hash
 * differently from the text written, and the state is then validated.
 */
export function stateHashOf(
  bytes: Buffer,
  text: string,
  stateLength: number | undefined,
): string | undefined {
  if (stateLength === undefined) return undefined;
  const end = text.trimEnd().length - 1;
  const start = end - stateLength;
  if (start < STATE_KEY.length || text.slice(start - STATE_KEY.length, start) !== STATE_KEY)
    return undefined;
  const from = Buffer.byteLength(text.slice(0, start));
  const to = bytes.length - Buffer.byteLength(text.slice(end));
  return createHash('sha256').update(bytes.subarray(from, to)).digest('hex');
}

/** How a snapshot written since `stateLength` leads: its length first, so it is read unparsed. */
const LEADING_LENGTH = /^\{"stateLength":(\d{1,15}),/;

/**
 * Reads `file` and checks its envelope (not yet its state). `undefined` when there is no file.
 *
 * @throws {SessionError} `SESSION_CORRUPT` naming the file, line and field; `IO_ERROR`.
 */
export async function readSnapshotFile(file: string): Promise<Snapshot | undefined> {
  return (await readSnapshotText(file))?.snapshot;
}

/**
 * Like {@link readSnapshotFile}, with the hash of the state's own bytes as read (when the
 * snapshot says where they are), to check it without serialising the state again.
 */
export async function readSnapshotText(
  file: string,
): Promise<{ snapshot: Snapshot; stateHash: string | undefined } | undefined> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return undefined;
    throw ioError(`Reading ${file}`, error, 'Nothing was changed.', file);
  }
  const text = bytes.toString('utf8');
  // The state's bytes are hashed before the parse and let go: at 100k images they are 27 MB
  // that would otherwise stay resident through it.
  const leading = LEADING_LENGTH.exec(text);
  const leadingLength = leading === null ? undefined : Number(leading[1]);
  let stateHash = stateHashOf(bytes, text, leadingLength);
  if (leadingLength !== undefined) bytes = undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const line = jsonErrorLine(text, error);
    throw corruptError({ file, line, field: '' }, 'the file is not valid JSON', error);
  }
  const parsed = SnapshotEnvelopeSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const site = { file, line: singleLine(text), field: formatIssuePath(issue?.path ?? []) };
    throw corruptError(site, issue?.message ?? 'not a session snapshot', parsed.error);
  }
  const { stateLength } = parsed.data;
  if (bytes !== undefined) stateHash = stateHashOf(bytes, text, stateLength);
  else if (stateLength !== leadingLength) stateHash = undefined;
  return { snapshot: parsed.data, stateHash };
}

/** The line the snapshot's fields are on when it is written as one line; else unknown. */
export function singleLine(text: string): number | null {
  const newline = text.indexOf('\n');
  return newline === -1 || newline === text.length - 1 ? 1 : null;
}

/**
 * Replaces `file` with `snapshot`, atomically, after giving the current content the second name
 * `previousFile` (so the snapshot before this one stays readable). The state is serialised once,
 * here: this is the only place the whole state is written.
 *
 * @throws {CivtagError} `DISK_FULL`, `NOT_WRITABLE` or `IO_ERROR` from the atomic write; `file`
 *   is then unchanged.
 */
export async function writeSnapshotFile(
  file: string,
  previousFile: string,
  snapshot: Omit<Snapshot, 'stateSha256' | 'stateLength'>,
): Promise<void> {
  const { state, ...envelope } = snapshot;
  const stateText = JSON.stringify(state);
  // The length leads, so that a reader finds the state's bytes before parsing the file.
  const head = JSON.stringify({
    stateLength: stateText.length,
    ...envelope,
    stateSha256: hashStateText(stateText),
  });
  const text = `${head.slice(0, -1)}${STATE_KEY}${stateText}}`;
  await keepPrevious(file, previousFile);
  try {
    await writeFileAtomic(file, text);
  } catch (error) {
    throw withFileSystemCode(error, file);
  }
}

/**
 * The atomic write's error with the code its system code calls for (`DISK_FULL` for `ENOSPC`,
 * `NOT_WRITABLE` for `EROFS`…) and the folder to free or make writable, where the write reports
 * a plain `IO_ERROR`.
 */
function withFileSystemCode(error: unknown, file: string): unknown {
  if (!CivtagError.hasCode(error, ErrorCode.IO_ERROR)) return error;
  const systemCode = error.details?.systemCode;
  const code = fileSystemErrorCode(typeof systemCode === 'string' ? systemCode : undefined);
  if (code === ErrorCode.IO_ERROR) return error;
  return new SessionError(code, `${error.message}${remedy(code, file)}`, {
    cause: error,
    details: { ...error.details, path: file, systemCode },
  });
}

async function keepPrevious(file: string, previousFile: string): Promise<void> {
  const folder = path.dirname(previousFile);
  const temporary = path.join(
    folder,
    `.${path.basename(previousFile)}.${randomBytes(6).toString('hex')}.civtag-tmp`,
  );
  try {
    await link(file, temporary);
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return;
    throw ioError(
      `Keeping ${file} as ${previousFile}`,
      error,
      'Nothing was changed.',
      previousFile,
    );
  }
  try {
    await rename(temporary, previousFile);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw ioError(
      `Keeping ${file} as ${previousFile}`,
      error,
      'Nothing was changed.',
      previousFile,
    );
  }
}
