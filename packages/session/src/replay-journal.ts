import { formatIssuePath } from '@civtag/api-models';
import type { ChangeFeed } from './change-feed.js';
import { isBatchRecord } from './journal-line.js';
import type { RememberedKeys } from './remembered-keys.js';
import type { ScannedRecord } from './scan-journal.js';
import type { CorruptionSite } from './session-error.js';
import { corruptError, describeError } from './session-error.js';
import type { ResolvedSessionOptions } from './session-options.js';

/** Where replay writes what it rebuilds besides the state. */
export interface ReplayTarget<S, E, R> {
  state: S;
  revision: number;
  keys: RememberedKeys<R>;
  feed: ChangeFeed<E, R>;
}

/**
 * Applies the journal's records after `target.revision` to `target`, in order, exactly as
 * `apply` and `applyMany` did. Records at or before it are already in the snapshot (a crash
 * between writing a snapshot and starting a new journal leaves them) and are skipped; a batch is
 * written between snapshots, so it is skipped or replayed whole. In a batch, an entry the reducer
 * refuses is left out, as it was when the batch was applied.
 *
 * @returns how many entries were applied.
 * @throws {SessionError} `SESSION_CORRUPT` naming `file`, the line and the field, for a gap in
 *   the revisions, an entry that fails `entrySchema`, or one the reducer refuses.
 */
export function replayJournal<S, E, R>(
  scan: { readonly records: readonly ScannedRecord[] },
  file: string,
  target: ReplayTarget<S, E, R>,
  options: ResolvedSessionOptions<S, E, R>,
): number {
  let applied = 0;
  for (const { record, line } of scan.records) {
    if (record.rev <= target.revision) continue;
    if (record.rev !== target.revision + 1) {
      const problem = `expected revision ${target.revision + 1}, found ${record.rev} (entries are missing)`;
      throw corruptError({ file, line, field: 'rev' }, problem);
    }
    if (isBatchRecord(record)) {
      for (const [index, value] of record.entries.entries()) {
        const entry = parseEntry(value, { file, line, field: `entries.${index}` }, options);
        let reduction: ReturnType<typeof options.reduce>;
        try {
          reduction = options.reduce(target.state, entry);
        } catch {
          // Refused when the batch was applied too (the reducer is deterministic): left out.
          continue;
        }
        reduction.commit();
        target.revision += 1;
        target.feed.push({ revision: target.revision, entry, result: reduction.result });
        applied += 1;
      }
      continue;
    }
    const entry = parseEntry(record.entry, { file, line, field: 'entry' }, options);
    let reduction: ReturnType<typeof options.reduce>;
    try {
      reduction = options.reduce(target.state, entry);
    } catch (error) {
      const problem = `the entry no longer applies to the state (${describeError(error)})`;
      throw corruptError({ file, line, field: 'entry' }, problem, error);
    }
    reduction.commit();
    target.revision = record.rev;
    const result = (Object.hasOwn(record, 'result') ? record.result : reduction.result) as R;
    target.feed.push({
      revision: record.rev,
      entry,
      result,
      ...(record.key === undefined ? {} : { key: record.key }),
    });
    if (record.key !== undefined)
      target.keys.remember(record.key, { revision: record.rev, result });
    applied += 1;
  }
  return applied;
}

/** The entry of a journal line, checked against `entrySchema`. */
function parseEntry<S, E, R>(
  value: unknown,
  site: CorruptionSite,
  options: ResolvedSessionOptions<S, E, R>,
): E {
  const parsed = options.entrySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = [site.field, formatIssuePath(issue?.path ?? [])].filter(Boolean).join('.');
  throw corruptError({ ...site, field }, issue?.message ?? 'invalid entry', parsed.error);
}
