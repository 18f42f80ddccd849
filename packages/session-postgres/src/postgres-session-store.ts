import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CivtagError } from '@civtag/api-models';
import {
  corruptError,
  decodeJournalLine,
  type FirstAnswer,
  hashStateText,
  type IdempotencyKey,
  isLineProblem,
  type RememberedKey,
  type ScannedRecord,
  SessionError,
  type SessionStore,
  type SessionWarning,
  type SnapshotRead,
  type SnapshotToWrite,
  type StoreContents,
  type StoredAppend,
  type StoreLease,
  type StoreWrite,
} from '@civtag/session/store';
import pg from 'pg';
import { type AdvisoryLease, tryAdvisoryLease } from './advisory-lease.js';
import { AppendWatch } from './append-watch.js';
import { databaseError } from './database-error.js';
import { migrate } from './migrations.js';

/** The options of {@link PostgresSessionStore}. */
export interface PostgresSessionStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  connectionString: string;
  /** The dataset's id: every server of one dataset gives the same. */
  dataset: string;
  /** How often (ms) the dataset is read in case a notification was missed. Default 1,000. */
  pollIntervalMs?: number;
  /** How long (ms) to wait before listening again after the listening connection was lost. Default 1,000. */
  reconnectDelayMs?: number;
  /** How often (ms) a lease's connection is checked. Default 2,000. */
  leaseCheckIntervalMs?: number;
  /**
   * How long (ms) {@link PostgresSessionStore.open} keeps trying while the database cannot be
   * reached, calling {@link onUnavailable} before each new try. Default: no end.
   */
  openTimeoutMs?: number;
  /** Told each time opening finds the database away and tries again (to say so in a log). */
  onUnavailable?: (error: CivtagError, retryInMs: number) => void;
  /**
   * How many of the latest records compaction keeps besides those after the snapshot before the
   * newest, so that a server a little behind (busy, or between a lost notification and the
   * next poll) still catches up record by record; one further behind than that must open the
   * session again. Default 10,000.
   */
  retainEntries?: number;
  /** Connections the store's pool may open (besides the listening and lease ones). Default 4. */
  maxConnections?: number;
}

interface EntryRow {
  seq: string;
  line: string;
}

interface SnapshotRow {
  seq: string;
  revision: string;
  version: number;
  state: string;
  state_sha256: string;
  schema_sha256: string | null;
  keys: RememberedKey[];
  saved_at: Date | string;
}

const OPEN_RETRY_FIRST_MS = 250;
/** Pool clients that have an error listener of their own. */
const watchedClients = new WeakSet<pg.PoolClient>();
const OPEN_RETRY_MOST_MS = 5_000;

/**
 * A civtag session kept in PostgreSQL, shared by every server that opens the same `dataset`:
 * the journal as rows of `civtag_entries` (each the checksummed line the file journal would
 * hold), snapshots as rows of `civtag_snapshots`, and the dataset's row in `civtag_datasets`
 * locked `FOR UPDATE` by one writer at a time. A writer catches up on the records it has not
 * handed to its session, inserts its own, moves the dataset's head and `NOTIFY`s it in one
 * transaction; the other servers catch up on the notification, or by polling when one is
 * missed. The schema is created and migrated on open (`civtag_schema_migrations`).
 */
export class PostgresSessionStore implements SessionStore {
  readonly location: string;
  private readonly pool: pg.Pool;
  private readonly connection: pg.ClientConfig;
  private readonly address: { host: string; port: number };
  private readonly channel: string;
  private readonly options: Required<
    Pick<
      PostgresSessionStoreOptions,
      | 'pollIntervalMs'
      | 'reconnectDelayMs'
      | 'leaseCheckIntervalMs'
      | 'openTimeoutMs'
      | 'retainEntries'
    >
  >;
  /** The position of the last record handed to the session (or written by it). */
  private cursor = 0;
  private bytes = 0;
  private watch: AppendWatch | undefined;
  private readonly appendedListeners = new Set<() => void>();
  private readonly leases = new Set<StoreLease>();
  private closed = false;

  constructor(private readonly settings: PostgresSessionStoreOptions) {
    const url = new URL(settings.connectionString);
    this.address = { host: url.hostname || 'localhost', port: Number(url.port || 5432) };
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    this.location = `postgres://${this.address.host}:${this.address.port}/${database} dataset ${settings.dataset}`;
    this.connection = { connectionString: settings.connectionString };
    this.pool = new pg.Pool({
      ...this.connection,
      max: settings.maxConnections ?? 4,
      application_name: 'civtag',
    });
    // An idle connection the server closes (a restart) is dropped from the pool; the next
    // query opens a new one. Without a listener the process would crash.
    this.pool.on('error', () => undefined);
    this.channel = `civtag_${createHash('sha256').update(settings.dataset).digest('hex').slice(0, 24)}`;
    this.options = {
      pollIntervalMs: settings.pollIntervalMs ?? 1_000,
      reconnectDelayMs: settings.reconnectDelayMs ?? 1_000,
      leaseCheckIntervalMs: settings.leaseCheckIntervalMs ?? 2_000,
      openTimeoutMs: settings.openTimeoutMs ?? Number.POSITIVE_INFINITY,
      retainEntries: settings.retainEntries ?? 10_000,
    };
  }

  get appendedBytes(): number {
    return this.bytes;
  }

  /** The backend pid of the listening connection while it is connected (to test a lost one). */
  get listenerPid(): number | undefined {
    return this.watch?.listenerPid;
  }

  /** Reads the latest snapshot and the entries after it in one consistent view; writes nothing. */
  async read(): Promise<StoreContents> {
    const client = await this.connect('Reading the session');
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const contents = await this.readContents(client);
      await client.query('COMMIT');
      client.release();
      return contents;
    } catch (error) {
      client.release(true);
      if ((error as { code?: unknown }).code === '42P01') return this.emptyContents();
      throw databaseError('Reading the session', error, 'Nothing was changed.', this.address);
    }
  }

  /**
   * Connects (trying again while the database cannot be reached, see
   * {@link PostgresSessionStoreOptions.openTimeoutMs}), migrates the schema, creates the
   * dataset's row when it is new, and reads the latest snapshot and the entries after it.
   */
  async open(): Promise<StoreContents> {
    const started = Date.now();
    for (let wait = OPEN_RETRY_FIRST_MS; ; wait = Math.min(wait * 2, OPEN_RETRY_MOST_MS)) {
      try {
        return await this.openOnce();
      } catch (error) {
        const unavailable = CivtagError.isInstance(error) && error.details?.retrying === true;
        if (!unavailable || Date.now() - started + wait > this.options.openTimeoutMs) {
          await this.pool.end().catch(() => undefined);
          this.closed = true;
          throw error;
        }
        this.settings.onUnavailable?.(error as CivtagError, wait);
        await sleep(wait);
      }
    }
  }

  private async openOnce(): Promise<StoreContents> {
    const client = await this.connect('Opening the session');
    try {
      await migrate(client, this.location);
      await client.query('INSERT INTO civtag_datasets (id) VALUES ($1) ON CONFLICT DO NOTHING', [
        this.settings.dataset,
      ]);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const contents = await this.readContents(client);
      await client.query('COMMIT');
      client.release();
      const last = contents.records[contents.records.length - 1];
      this.cursor = last?.line ?? this.cursor;
      return contents;
    } catch (error) {
      client.release(true);
      throw databaseError('Opening the session', error, 'Nothing was changed.', this.address);
    }
  }

  /** Starts listening for other writers' records (and polling in case a notification is missed). */
  async start(): Promise<SessionWarning[]> {
    this.watch = new AppendWatch({
      connection: this.connection,
      channel: this.channel,
      pollIntervalMs: this.options.pollIntervalMs,
      reconnectDelayMs: this.options.reconnectDelayMs,
      readHead: () => this.readHead(),
      cursor: () => this.cursor,
      onAppended: () => {
        for (const listener of this.appendedListeners) listener();
      },
    });
    await this.watch.start();
    return [];
  }

  /**
   * Begins a transaction, locks the dataset's row (`FOR UPDATE`: one writer at a time across
   * every server) and reads the records other writers committed since this store's cursor.
   *
   * @throws {SessionError} `IO_ERROR` naming `host:port` when the database cannot be reached.
   */
  async beginWrite(): Promise<StoreWrite> {
    this.assertOpen();
    const client = await this.connect('Saving the change');
    let others: ScannedRecord[] = [];
    try {
      await client.query('BEGIN');
      const head = await client.query<{ seq: string }>(
        'SELECT seq FROM civtag_datasets WHERE id = $1 FOR UPDATE',
        [this.settings.dataset],
      );
      const seq = Number(head.rows[0]?.seq ?? 0);
      if (seq > this.cursor) others = await this.readAfter(client, this.cursor);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(true);
      throw databaseError('Saving the change', error, 'The change was not saved.', this.address);
    }
    return new PostgresWrite(this, client, others);
  }

  /** Records committed since this store's cursor, without a lock. */
  async readNew(): Promise<ScannedRecord[]> {
    this.assertOpen();
    const client = await this.connect('Reading the changes of other servers');
    try {
      const records = await this.readAfter(client, this.cursor);
      client.release();
      return records;
    } catch (error) {
      client.release(true);
      throw databaseError(
        'Reading the changes of other servers',
        error,
        'Nothing was changed.',
        this.address,
      );
    }
  }

  onAppended(listener: () => void): () => void {
    this.appendedListeners.add(listener);
    return () => {
      this.appendedListeners.delete(listener);
    };
  }

  /** A shared store has no lock to lose: a writer's turn is one transaction. */
  onLost(_listener: (error: CivtagError) => void): () => void {
    return () => undefined;
  }

  /**
   * Tries to take the dataset's lease (a session-level advisory lock on a connection of its
   * own), which one server at a time holds: the one that writes caption files.
   *
   * @returns the lease, or `undefined` when another server holds it.
   */
  async tryLease(): Promise<StoreLease | undefined> {
    this.assertOpen();
    let lease: AdvisoryLease | undefined;
    try {
      lease = await tryAdvisoryLease(
        this.connection,
        `civtag-lease:${this.settings.dataset}`,
        this.options.leaseCheckIntervalMs,
        `${this.address.host}:${this.address.port}`,
      );
    } catch (error) {
      throw databaseError('Taking the lease', error, 'The lease was not taken.', this.address);
    }
    if (lease === undefined) return undefined;
    this.leases.add(lease);
    const taken = lease;
    const dataset = this.settings.dataset;
    return {
      get held() {
        return taken.held;
      },
      onLost: (listener) => taken.onLost(listener),
      release: () => taken.release(),
      recordWritten: async (revision) => {
        try {
          await taken.query('UPDATE civtag_datasets SET captions_revision = $2 WHERE id = $1', [
            dataset,
            revision,
          ]);
        } catch (error) {
          throw databaseError(
            'Recording the captions written',
            error,
            'The captions are written; the record is made again with the next ones.',
            this.address,
          );
        }
      },
    };
  }

  /** The revision the caption writer last recorded as written (`captions_revision`). */
  async readWritten(): Promise<number | undefined> {
    this.assertOpen();
    const client = await this.connect('Reading the revision the captions are written up to');
    try {
      const result = await client.query<{ captions_revision: string | null }>(
        'SELECT captions_revision FROM civtag_datasets WHERE id = $1',
        [this.settings.dataset],
      );
      client.release();
      const value = result.rows[0]?.captions_revision;
      return value === null || value === undefined ? undefined : Number(value);
    } catch (error) {
      client.release(true);
      throw databaseError(
        'Reading the revision the captions are written up to',
        error,
        'Nothing was changed.',
        this.address,
      );
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.watch?.stop();
    for (const lease of this.leases) await lease.release();
    await this.pool.end().catch(() => undefined);
  }

  // --- for PostgresWrite ---

  /** @internal Moves the cursor past what the session now has. */
  advance(seq: number, bytes: number): void {
    if (seq > this.cursor) this.cursor = seq;
    this.bytes += bytes;
  }

  /** @internal The cursor: the last record the session has. */
  get position(): number {
    return this.cursor;
  }

  /** @internal */
  compacted(): void {
    this.bytes = 0;
  }

  /** @internal */
  get datasetId(): string {
    return this.settings.dataset;
  }

  /** @internal */
  get retainEntries(): number {
    return this.options.retainEntries;
  }

  /** @internal */
  get notifyChannel(): string {
    return this.channel;
  }

  /** @internal */
  get databaseAddress(): { host: string; port: number } {
    return this.address;
  }

  // --- reading ---

  private async connect(what: string): Promise<pg.PoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw databaseError(what, error, 'Nothing was changed.', this.address);
    }
    // A connection lost while checked out (a restart between two queries) is reported on the
    // client, not the pool: the query in flight fails, and the client is dropped on release.
    if (!watchedClients.has(client)) {
      watchedClients.add(client);
      client.on('error', () => undefined);
    }
    return client;
  }

  private async readHead(): Promise<number | undefined> {
    if (this.closed) return undefined;
    try {
      const head = await this.pool.query<{ seq: string }>(
        'SELECT seq FROM civtag_datasets WHERE id = $1',
        [this.settings.dataset],
      );
      return Number(head.rows[0]?.seq ?? 0);
    } catch {
      return undefined;
    }
  }

  /**
   * The records after position `after`, checked and decoded. A first record that does not
   * follow `after` means this store fell behind a compaction by another server.
   */
  private async readAfter(client: pg.ClientBase, after: number): Promise<ScannedRecord[]> {
    const rows = await client.query<EntryRow>(
      'SELECT seq, line FROM civtag_entries WHERE dataset_id = $1 AND seq > $2 ORDER BY seq',
      [this.settings.dataset, after],
    );
    const records = this.decode(rows.rows, after);
    const last = records[records.length - 1];
    if (last !== undefined) {
      let bytes = 0;
      for (const row of rows.rows) bytes += Buffer.byteLength(row.line);
      this.advance(last.line, bytes);
    }
    return records;
  }

  private decode(rows: EntryRow[], after: number): ScannedRecord[] {
    const source = `${this.location} civtag_entries`;
    const records: ScannedRecord[] = [];
    let expected = after + 1;
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expected) {
        throw new SessionError(
          'IO_ERROR',
          `The session ${this.location} was compacted past the changes this server had not read ` +
            `yet (it expected record ${expected}, the oldest kept is ${seq}). Close the session and ` +
            'open it again to read the newest snapshot.',
          { details: { expected, found: seq, retrying: false } },
        );
      }
      const decoded = decodeJournalLine(row.line.endsWith('\n') ? row.line.slice(0, -1) : row.line);
      if (isLineProblem(decoded)) {
        throw corruptError({ file: source, line: seq, field: decoded.field }, decoded.problem);
      }
      records.push({ record: decoded, line: seq });
      expected += 1;
    }
    return records;
  }

  private async readContents(client: pg.ClientBase): Promise<StoreContents> {
    const snapshots = await client.query<SnapshotRow>(
      `SELECT seq, revision, version, state, state_sha256, schema_sha256, keys, saved_at
         FROM civtag_snapshots WHERE dataset_id = $1 ORDER BY seq DESC LIMIT 1`,
      [this.settings.dataset],
    );
    const row = snapshots.rows[0];
    const snapshot = row === undefined ? undefined : this.snapshotOf(row);
    const from = row === undefined ? 0 : Number(row.seq);
    const entries = await client.query<EntryRow>(
      'SELECT seq, line FROM civtag_entries WHERE dataset_id = $1 AND seq > $2 ORDER BY seq',
      [this.settings.dataset, from],
    );
    const records = this.decode(entries.rows, from);
    this.cursor = from;
    this.bytes = 0;
    for (const entry of entries.rows) this.bytes += Buffer.byteLength(entry.line);
    const last = records[records.length - 1];
    if (last !== undefined) this.cursor = last.line;
    return {
      snapshot,
      records,
      snapshotSource: `${this.location} civtag_snapshots`,
      journalSource: `${this.location} civtag_entries`,
    };
  }

  private snapshotOf(row: SnapshotRow): SnapshotRead {
    let state: unknown;
    try {
      state = JSON.parse(row.state);
    } catch (error) {
      throw corruptError(
        { file: `${this.location} civtag_snapshots`, line: Number(row.seq), field: 'state' },
        'the state is not valid JSON',
        error,
      );
    }
    return {
      snapshot: {
        version: row.version,
        revision: Number(row.revision),
        state,
        keys: row.keys,
        savedAt: new Date(row.saved_at).toISOString(),
        stateSha256: row.state_sha256,
        ...(row.schema_sha256 === null ? {} : { schemaSha256: row.schema_sha256 }),
      },
      stateHash: hashStateText(row.state),
    };
  }

  private emptyContents(): StoreContents {
    return {
      snapshot: undefined,
      records: [],
      snapshotSource: `${this.location} civtag_snapshots`,
      journalSource: `${this.location} civtag_entries`,
    };
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new SessionError('SESSION_CLOSED', `The session store ${this.location} is closed.`);
    }
  }
}

/** One write: a transaction holding the dataset's row lock. */
class PostgresWrite implements StoreWrite {
  private appended: { seq: number; revision: number; bytes: number } | undefined;
  private compactedAt: number | undefined;
  private done = false;

  constructor(
    private readonly store: PostgresSessionStore,
    private readonly client: pg.PoolClient,
    readonly others: ScannedRecord[],
  ) {}

  async findKey(key: IdempotencyKey): Promise<FirstAnswer<unknown> | undefined> {
    const found = await this.query<{ revision: string; answer: { result?: unknown } | null }>(
      'Looking up the key of the change',
      `SELECT revision, answer FROM civtag_entries
        WHERE dataset_id = $1 AND client_id = $2 AND op_id = $3`,
      [this.store.datasetId, key.clientId, key.opId],
    );
    const row = found.rows[0];
    if (row === undefined) return undefined;
    return { revision: Number(row.revision), result: row.answer?.result };
  }

  async append(append: StoredAppend): Promise<void> {
    const seq = this.store.position + 1;
    const key = 'key' in append.record ? append.record.key : undefined;
    await this.query(
      'Saving the change',
      `INSERT INTO civtag_entries (dataset_id, seq, revision, line, client_id, op_id, answer)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        this.store.datasetId,
        seq,
        append.record.rev,
        append.line,
        key?.clientId ?? null,
        key?.opId ?? null,
        append.answer === undefined ? null : JSON.stringify({ result: append.answer.result }),
      ],
    );
    this.appended = { seq, revision: append.record.rev, bytes: Buffer.byteLength(append.line) };
  }

  async compact(snapshot: SnapshotToWrite): Promise<void> {
    const seq = this.store.position;
    const stateText = JSON.stringify(snapshot.state);
    const dataset = this.store.datasetId;
    await this.query(
      'Saving a snapshot',
      `INSERT INTO civtag_snapshots
         (dataset_id, seq, revision, version, state, state_sha256, schema_sha256, keys, saved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (dataset_id, seq) DO UPDATE SET revision = EXCLUDED.revision,
         version = EXCLUDED.version, state = EXCLUDED.state, state_sha256 = EXCLUDED.state_sha256,
         schema_sha256 = EXCLUDED.schema_sha256, keys = EXCLUDED.keys, saved_at = EXCLUDED.saved_at`,
      [
        dataset,
        seq,
        snapshot.revision,
        snapshot.version,
        stateText,
        hashStateText(stateText),
        snapshot.schemaSha256 ?? null,
        JSON.stringify(snapshot.keys),
        snapshot.savedAt,
      ],
    );
    // As the file store keeps session.json.prev and journal.jsonl.prev: the snapshot before this
    // one and the entries from it on stay; and the latest `retainEntries` records stay too, so
    // that a server a little behind another's compaction still catches up record by record.
    const previous = await this.query<{ seq: string | null }>(
      'Compacting the session',
      'SELECT max(seq) AS seq FROM civtag_snapshots WHERE dataset_id = $1 AND seq < $2',
      [dataset, seq],
    );
    const before = previous.rows[0]?.seq;
    if (before !== null && before !== undefined) {
      const cut = Math.min(Number(before), seq - this.store.retainEntries);
      if (cut > 0) {
        await this.query(
          'Compacting the session',
          'DELETE FROM civtag_entries WHERE dataset_id = $1 AND seq <= $2',
          [dataset, cut],
        );
        await this.query(
          'Compacting the session',
          'DELETE FROM civtag_snapshots WHERE dataset_id = $1 AND seq < $2',
          [dataset, cut],
        );
      }
    }
    this.compactedAt = seq;
  }

  async commit(): Promise<void> {
    if (this.done) return;
    this.done = true;
    const { appended } = this;
    try {
      if (appended !== undefined) {
        await this.client.query(
          `WITH moved AS (
             UPDATE civtag_datasets SET seq = $2, revision = $3, updated_at = now()
              WHERE id = $1 RETURNING seq)
           SELECT pg_notify($4, seq::text) FROM moved`,
          [this.store.datasetId, appended.seq, appended.revision, this.store.notifyChannel],
        );
      }
      await this.client.query('COMMIT');
    } catch (error) {
      // The outcome is unknown: the cursor stays, and a record that was stored after all comes
      // back among the others on the next write.
      this.client.release(true);
      throw databaseError(
        'Saving the change',
        error,
        'The change may not have been saved; send it again (with its key it is applied once).',
        this.store.databaseAddress,
      );
    }
    this.client.release();
    if (appended !== undefined) this.store.advance(appended.seq, appended.bytes);
    if (this.compactedAt !== undefined) this.store.compacted();
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.client.query('ROLLBACK');
      this.client.release();
    } catch (error) {
      this.client.release(error as Error);
    }
  }

  private async query<T extends pg.QueryResultRow>(
    what: string,
    text: string,
    values: unknown[],
  ): Promise<pg.QueryResult<T>> {
    try {
      return await this.client.query<T>(text, values);
    } catch (error) {
      throw databaseError(what, error, 'The change was not saved.', this.store.databaseAddress);
    }
  }
}
