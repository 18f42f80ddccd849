import { SessionError } from '@civtag/session';
import type { ClientBase } from 'pg';

/** One step of the schema: applied once per database, in order, inside one transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, as versioned steps. A step is never edited once released: a change is a new step.
 *
 * - `civtag_datasets`: one row per dataset, locked (`FOR UPDATE`) by the one writer at a time;
 *   `seq` is the position of its last record, `revision` the revision that record started at.
 * - `civtag_entries`: the journal, one row per record (`seq` counts records: a batch is one
 *   record, and a batch the reducer refused whole takes no revision, so `revision` alone is not
 *   a position). `line` is the record as the file journal writes it, checksum included. A key is
 *   unique per dataset; `answer` is what it was answered, for a resend to another server.
 * - `civtag_snapshots`: the state at `seq`, as text with its sha256, and the keys remembered.
 * - `civtag_datasets.captions_revision` (step 2): the revision every caption file shows (or a
 *   later one), recorded by the server holding the lease; `NULL` until one has.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'datasets, entries and snapshots',
    sql: `
      CREATE TABLE civtag_datasets (
        id text PRIMARY KEY,
        seq bigint NOT NULL DEFAULT 0,
        revision bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE civtag_entries (
        dataset_id text NOT NULL REFERENCES civtag_datasets (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        revision bigint NOT NULL,
        line text NOT NULL,
        client_id text,
        op_id text,
        answer json,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dataset_id, seq),
        UNIQUE (dataset_id, client_id, op_id)
      );
      CREATE TABLE civtag_snapshots (
        dataset_id text NOT NULL REFERENCES civtag_datasets (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        revision bigint NOT NULL,
        version integer NOT NULL,
        state text NOT NULL,
        state_sha256 text NOT NULL,
        schema_sha256 text,
        keys json NOT NULL,
        saved_at timestamptz NOT NULL,
        PRIMARY KEY (dataset_id, seq)
      );
    `,
  },
  {
    version: 2,
    name: 'the revision the caption writer has written',
    sql: `
      ALTER TABLE civtag_datasets ADD COLUMN captions_revision bigint;
    `,
  },
];

/** Two servers starting at once migrate one after the other (a transaction-scoped lock). */
const MIGRATION_LOCK = 0x63697674; // "civt"

/**
 * Brings the schema of the database `client` is connected to up to the newest migration.
 *
 * @throws {SessionError} `SESSION_CORRUPT` when the database was migrated by a newer civtag.
 */
export async function migrate(client: ClientBase, location: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS civtag_schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const applied = await client.query<{ version: number }>(
      'SELECT version FROM civtag_schema_migrations',
    );
    const done = new Set(applied.rows.map((row) => row.version));
    const newest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
    const unknown = [...done].filter((version) => version > newest);
    if (unknown.length > 0) {
      throw new SessionError(
        'SESSION_CORRUPT',
        `The database ${location} has civtag schema version ${Math.max(...unknown)}, newer than the ` +
          `${newest} this civtag knows; use a newer civtag. Nothing was changed.`,
        { details: { file: `${location} civtag_schema_migrations`, line: null, field: 'version' } },
      );
    }
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO civtag_schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
