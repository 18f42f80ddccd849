import { formatIssuePath } from '@civtag/api-models';
import { schemaFingerprint } from './schema-fingerprint.js';
import { corruptError, describeError } from './session-error.js';
import type { ResolvedSessionOptions } from './session-options.js';
import type { SnapshotRead } from './session-store.js';
import { isStateIntact, type RememberedKey } from './snapshot-file.js';

/** The state a session starts from before its journal is replayed. */
export interface LoadedSnapshot<S> {
  state: S;
  revision: number;
  keys: RememberedKey[];
  /** The version the snapshot was migrated from, when it was older than the current one. */
  migratedFrom: number | undefined;
  /**
   * True when a snapshot of the current version was validated rather than trusted, because it
   * was written under another state schema (or before schemas were recorded): the opener writes
   * a new one, so that the next open trusts it again.
   */
  revalidated: boolean;
}

/**
 * Migrates the snapshot a store read (from `file`, named in messages) to the current version and
 * validates its state; without a snapshot, the initial state at revision 0. A snapshot of the
 * current version whose state hashes as recorded, written under the same state schema, is
 * trusted without validation.
 *
 * @throws {SessionError} `SESSION_CORRUPT` naming the file, line and field.
 */
export function loadSnapshot<S, E, R>(
  read: SnapshotRead | undefined,
  file: string,
  options: ResolvedSessionOptions<S, E, R>,
): LoadedSnapshot<S> {
  if (read === undefined) {
    return {
      state: options.initial(),
      revision: 0,
      keys: [],
      migratedFrom: undefined,
      revalidated: false,
    };
  }
  const { snapshot, stateHash } = read;
  const site = (field: string) => ({ file, line: 1, field });
  if (snapshot.version > options.version) {
    throw corruptError(
      site('version'),
      `the snapshot has version ${snapshot.version}, newer than the ${options.version} this ` +
        'civtag reads; use a newer civtag',
    );
  }
  const decode = options.stateCodec?.decode ?? ((stored: unknown) => stored);
  const decoded = (stored: unknown) => {
    try {
      return decode(stored);
    } catch (error) {
      throw corruptError(site('state'), `the state cannot be read: ${describeError(error)}`, error);
    }
  };
  const sameSchema = snapshot.schemaSha256 === schemaFingerprint(options.schema);
  if (snapshot.version === options.version && sameSchema && isStateIntact(snapshot, stateHash)) {
    return {
      state: decoded(snapshot.state) as S,
      revision: snapshot.revision,
      keys: snapshot.keys,
      migratedFrom: undefined,
      revalidated: false,
    };
  }
  let state = decoded(snapshot.state);
  for (let version = snapshot.version; version < options.version; version += 1) {
    const migrate = options.migrations[version];
    if (migrate === undefined) {
      throw corruptError(site('version'), `there is no migration from version ${version}`);
    }
    try {
      state = migrate(state);
    } catch (error) {
      throw corruptError(
        site('state'),
        `the migration from version ${version} failed: ${describeError(error)}`,
        error,
      );
    }
  }
  const parsed = options.schema.safeParse(state);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['state', formatIssuePath(issue?.path ?? [])].filter(Boolean).join('.');
    throw corruptError(site(field), issue?.message ?? 'the state is invalid', parsed.error);
  }
  return {
    state: parsed.data,
    revision: snapshot.revision,
    keys: snapshot.keys,
    migratedFrom: snapshot.version < options.version ? snapshot.version : undefined,
    revalidated: snapshot.version === options.version && !sameSchema,
  };
}
