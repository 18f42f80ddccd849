import type { ZodMiniType } from 'zod/mini';
import { SessionError } from './session-error.js';
import type { SessionStore } from './session-store.js';

/**
 * What a reducer returns for one entry: the answer for the caller, and the change to make.
 * `commit` is called only once the entry is durable in the journal; it mutates the state in
 * place and must not throw.
 */
export interface Reduction<R> {
  result: R;
  commit: () => void;
}

/** How a session's state is stored in its snapshot (see {@link SessionOptions.stateCodec}). */
export interface StateCodec<S> {
  encode: (state: S) => unknown;
  decode: (stored: unknown) => unknown;
}

/** The options of {@link openSession}. */
export interface SessionOptions<S, E, R> {
  /**
   * The session's folder (e.g. `<dataset>/.civtag`); created when missing. The session is kept
   * there by a `FileSessionStore` unless {@link store} is given. One of the two is required.
   */
  dir?: string;
  /**
   * Where the snapshot and journal are kept, and how writers take turns: a store shared by
   * several processes (`@civtag/session-postgres`), or a `FileSessionStore` made with options of
   * its own. Default: `new FileSessionStore(dir)`. A store serves one session.
   */
  store?: SessionStore;
  /** Validates the state read from the snapshot (after migration). */
  schema: ZodMiniType<S>;
  /** Validates each entry, on apply and on replay. Entries must be plain JSON values. */
  entrySchema: ZodMiniType<E>;
  /** The version of the state's shape. Snapshots of older versions are migrated on open. */
  version: number;
  /** `migrations[N]` turns a state of version N into one of version N + 1. */
  migrations?: Record<number, (old: unknown) => unknown>;
  /** The state of a new session. */
  initial: () => S;
  /**
   * How the state is stored in the snapshot, when not as it is held: `encode` turns the state
   * into the JSON value written, `decode` turns a stored value back into the state. `decode`
   * runs on every snapshot read, before migrations and validation, so it must pass through the
   * stored form of older versions unchanged. Default: stored as it is held.
   */
  stateCodec?: StateCodec<S>;
  /**
   * Checks an entry against the state and computes its effect without changing anything; may
   * throw (the entry is then refused and nothing changes). Must be deterministic: replay after
   * a restart calls it again on the same state and must get the same result.
   */
  reduce: (state: S, entry: E) => Reduction<R>;
  /** Compact when the journal holds this many entries. Default 10,000. */
  journalBound?: number;
  /** Compact when the journal holds this many bytes. Default 64 MiB. */
  journalByteBound?: number;
  /** How many recent entries {@link Session.changesSince} can return. Default 1,000. */
  feedSize?: number;
  /**
   * How heavy an entry's result is to keep in memory (for a dataset, the images it changed).
   * The change feed holds recent entries up to {@link feedWeightBound} in all, so one bulk
   * change cannot pin hundreds of megabytes; a client further behind reloads. Default 1 each.
   */
  resultWeight?: (result: R) => number;
  /** The most weight the change feed holds (see {@link resultWeight}). Default: no bound. */
  feedWeightBound?: number;
  /**
   * What of an entry's result an idempotency key remembers (in memory and in the snapshot), to
   * answer a resend: a heavy result can be kept as a summary. Default: all of it.
   */
  rememberedResult?: (result: R) => R;
  /** How many recent idempotency keys are remembered, across restarts. Default 10,000. */
  keyMemory?: number;
  /** How often (ms) the lock is checked in the background, besides on every apply. Default 2,000. */
  lockCheckIntervalMs?: number;
}

/** The defaults of the optional {@link SessionOptions}. */
export const SESSION_DEFAULTS = {
  journalBound: 10_000,
  journalByteBound: 64 * 1024 * 1024,
  feedSize: 1_000,
  keyMemory: 10_000,
  lockCheckIntervalMs: 2_000,
} as const;

/** Options with every default filled in. */
export type ResolvedSessionOptions<S, E, R> = SessionOptions<S, E, R> &
  Required<Pick<SessionOptions<S, E, R>, keyof typeof SESSION_DEFAULTS | 'migrations'>>;

/**
 * Fills in the defaults and checks the numbers.
 *
 * @throws {SessionError} `VALIDATION` naming the option.
 */
export function resolveSessionOptions<S, E, R>(
  options: SessionOptions<S, E, R>,
): ResolvedSessionOptions<S, E, R> {
  const resolved = {
    ...options,
    migrations: options.migrations ?? {},
    journalBound: options.journalBound ?? SESSION_DEFAULTS.journalBound,
    journalByteBound: options.journalByteBound ?? SESSION_DEFAULTS.journalByteBound,
    feedSize: options.feedSize ?? SESSION_DEFAULTS.feedSize,
    keyMemory: options.keyMemory ?? SESSION_DEFAULTS.keyMemory,
    lockCheckIntervalMs: options.lockCheckIntervalMs ?? SESSION_DEFAULTS.lockCheckIntervalMs,
  };
  const counts = {
    version: [resolved.version, 0],
    journalBound: [resolved.journalBound, 1],
    journalByteBound: [resolved.journalByteBound, 1],
    feedSize: [resolved.feedSize, 0],
    keyMemory: [resolved.keyMemory, 0],
    lockCheckIntervalMs: [resolved.lockCheckIntervalMs, 1],
  } as const;
  for (const [name, [value, minimum]] of Object.entries(counts)) {
    if (!Number.isSafeInteger(value) || value < minimum) {
      throw new SessionError(
        'VALIDATION',
        `Invalid session option ${name}: expected a whole number >= ${minimum}, got ${String(value)}.`,
        { details: { field: name } },
      );
    }
  }
  if (resolved.store === undefined && (typeof resolved.dir !== 'string' || resolved.dir === '')) {
    throw new SessionError(
      'VALIDATION',
      'Invalid session option dir: expected a folder path (or a store in the option store).',
      { details: { field: 'dir' } },
    );
  }
  return resolved;
}
