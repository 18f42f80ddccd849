import { CivtagError } from '@civtag/api-models';
import { readSessionState } from '@civtag/session';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresSessionStore } from '../src/index.js';
import { listOptions, push } from './list-model.js';
import { cutListener, newDataset, openList, storeOf, usePostgres } from './postgres.js';

const { server } = usePostgres();
const key = (opId: string) => ({ clientId: 'tab-1', opId });

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: server().url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('a session kept in PostgreSQL', () => {
  it('creates its schema with versioned migrations, once', async () => {
    const first = await openList(storeOf(server(), newDataset()));
    const second = await openList(storeOf(server(), newDataset()));
    expect(first.revision).toBe(0);
    expect(second.revision).toBe(0);
    const migrations = await query<{ version: number }>(
      'SELECT version FROM civtag_schema_migrations ORDER BY version',
    );
    expect(migrations.map((row) => row.version)).toEqual([1, 2]);
  });

  it('migrates a database made with the first schema, keeping its sessions', async () => {
    await query('CREATE DATABASE civtag_first_schema');
    const url = server().url.replace(/\/civtag_test$/, '/civtag_first_schema');
    const dataset = newDataset();
    const session = await openList(new PostgresSessionStore({ connectionString: url, dataset }));
    await session.apply(push('kept'));
    await session.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // Taken back to the first schema, as the first civtag with a database left it.
      await client.query('ALTER TABLE civtag_datasets DROP COLUMN captions_revision');
      await client.query('DELETE FROM civtag_schema_migrations WHERE version > 1');
      const again = await openList(new PostgresSessionStore({ connectionString: url, dataset }));
      expect(again.revision).toBe(1);
      await again.close();
      const versions = await client.query(
        'SELECT version FROM civtag_schema_migrations ORDER BY version',
      );
      expect(versions.rows).toEqual([{ version: 1 }, { version: 2 }]);
      const columns = await client.query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'civtag_datasets' AND column_name = 'captions_revision'",
      );
      expect(columns.rows).toHaveLength(1);
    } finally {
      await client.end();
    }
  });

  it('is migrated once when three servers start at once on a new database', async () => {
    await query('CREATE DATABASE civtag_race');
    const url = server().url.replace(/\/civtag_test$/, '/civtag_race');
    const dataset = newDataset();
    const sessions = await Promise.all(
      [1, 2, 3].map(() => openList(new PostgresSessionStore({ connectionString: url, dataset }))),
    );
    await Promise.all(sessions.map((session, index) => session.apply(push(`s${index}`))));
    await Promise.all(sessions.map((session) => session.catchUp()));
    for (const session of sessions) expect(session.revision).toBe(3);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const migrations = await client.query(
        'SELECT version FROM civtag_schema_migrations ORDER BY version',
      );
      expect(migrations.rows).toEqual([{ version: 1 }, { version: 2 }]);
    } finally {
      await client.end();
    }
  });

  it('applies entries, stores each as a checksummed row, and replays them on reopen', async () => {
    const dataset = newDataset();
    const session = await openList(storeOf(server(), dataset));
    expect(await session.apply(push('a'))).toEqual({
      revision: 1,
      result: { length: 1 },
      duplicate: false,
    });
    await session.apply(push('b'), key('op-2'));
    await expect(session.apply({ type: 'pop' })).resolves.toMatchObject({ revision: 3 });
    await expect(session.apply({ type: 'push', value: 3 } as never)).rejects.toSatisfy((error) =>
      CivtagError.hasCode(error, 'VALIDATION'),
    );
    const rows = await query<{ seq: string; revision: string; line: string; client_id: string }>(
      'SELECT seq, revision, line, client_id FROM civtag_entries WHERE dataset_id = $1 ORDER BY seq',
      [dataset],
    );
    expect(rows.map((row) => [Number(row.seq), Number(row.revision), row.client_id])).toEqual([
      [1, 1, null],
      [2, 2, 'tab-1'],
      [3, 3, null],
    ]);
    expect(rows[0]?.line).toMatch(
      /^\{"rev":1,"entry":\{"type":"push","value":"a"\},"crc":"[0-9a-f]{8}"\}\n$/,
    );
    // A second server opens the dataset while the first holds it: the rows are all there is.
    const again = await openList(storeOf(server(), dataset));
    expect(again.revision).toBe(3);
    expect(again.state.items).toEqual(['a']);
    expect(await again.apply(push('b'), key('op-2'))).toEqual({
      revision: 2,
      result: { length: 2 },
      duplicate: true,
    });
  });

  it('applies a batch as one row, leaving out what the reducer refuses, as replay does', async () => {
    const dataset = newDataset();
    const session = await openList(storeOf(server(), dataset));
    const outcomes = await session.applyMany([
      push('a'),
      { type: 'pop' },
      { type: 'pop' },
      push('b'),
    ]);
    expect(outcomes.map((outcome) => outcome.applied && outcome.revision)).toEqual([
      1,
      2,
      false,
      3,
    ]);
    // A batch the reducer refuses whole takes no revision; the next record still gets a row.
    const refused = await session.applyMany([{ type: 'pop' }, { type: 'pop' }]);
    expect(refused.map((outcome) => outcome.applied)).toEqual([true, false]);
    const none = await session.applyMany([{ type: 'pop' }]);
    expect(none.map((outcome) => outcome.applied)).toEqual([false]);
    await session.apply(push('c'));
    expect(session.state.items).toEqual(['c']);
    const reopened = await openList(storeOf(server(), dataset));
    expect(reopened.revision).toBe(session.revision);
    expect(reopened.state).toEqual(session.state);
  });

  it('answers a resent key with its first answer even once the session forgot it', async () => {
    const dataset = newDataset();
    // Remembers no key in memory: the answer can only come from the entries' rows.
    const session = await openList(storeOf(server(), dataset), { keyMemory: 0 });
    await session.apply(push('a'), key('op-1'));
    await session.apply(push('b'), key('op-2'));
    expect(await session.apply(push('a'), key('op-1'))).toEqual({
      revision: 1,
      result: { length: 1 },
      duplicate: true,
    });
    expect(session.state.items).toEqual(['a', 'b']);
  });

  it('compacts into a snapshot row, keeps the one before it, and opens from the newest', async () => {
    const dataset = newDataset();
    // Keeping no records beyond the snapshot before the newest: compacted as the file store is.
    const session = await openList(storeOf(server(), dataset, { retainEntries: 0 }), {
      journalBound: 5,
    });
    for (let index = 1; index <= 23; index += 1) {
      await session.apply(push(`v${index}`), key(`op-${index}`));
    }
    await session.compact();
    const snapshots = await query<{ seq: string; revision: string }>(
      'SELECT seq, revision FROM civtag_snapshots WHERE dataset_id = $1 ORDER BY seq',
      [dataset],
    );
    // The newest and the one before it; entries from that one on.
    expect(snapshots.length).toBe(2);
    expect(Number(snapshots[1]?.revision)).toBe(23);
    const entries = await query<{ seq: string }>(
      'SELECT min(seq) AS seq FROM civtag_entries WHERE dataset_id = $1',
      [dataset],
    );
    expect(Number(entries[0]?.seq)).toBe(Number(snapshots[0]?.seq) + 1);
    await session.close();
    const reopened = await openList(storeOf(server(), dataset));
    expect(reopened.revision).toBe(23);
    expect(reopened.state.items).toEqual(Array.from({ length: 23 }, (_, i) => `v${i + 1}`));
    // Keys come back with the snapshot.
    expect(await reopened.apply(push('x'), key('op-23'))).toMatchObject({
      revision: 23,
      duplicate: true,
    });
  });

  it('keeps the latest retainEntries records, and tells a server further behind to reopen', async () => {
    const dataset = newDataset();
    // Hears of nothing by itself (no polling, its notifications cut): it falls behind.
    const behindStore = storeOf(server(), dataset, {
      pollIntervalMs: 3_600_000,
      reconnectDelayMs: 3_600_000,
      retainEntries: 4,
    });
    const behind = await openList(behindStore);
    await cutListener(server(), behindStore);
    const writer = await openList(storeOf(server(), dataset, { retainEntries: 4 }));
    await writer.apply(push('first'));
    await behind.catchUp();
    for (let index = 0; index < 6; index += 1) {
      await writer.apply(push(`v${index}`));
      await writer.compact();
    }
    const kept = await query<{ seq: string }>(
      'SELECT seq FROM civtag_entries WHERE dataset_id = $1 ORDER BY seq',
      [dataset],
    );
    expect(kept.map((row) => Number(row.seq))).toEqual([4, 5, 6, 7]);
    const catchingUp = behind.catchUp();
    await expect(catchingUp).rejects.toSatisfy(
      (error) =>
        CivtagError.hasCode(error, 'IO_ERROR') &&
        error.message.includes('compacted past the changes this server had not read yet') &&
        error.message.includes('open it again'),
    );
    const reopened = await openList(storeOf(server(), dataset));
    expect(reopened.state).toEqual(writer.state);
  });

  it('is read by readSessionState without writing, snapshot and entries together', async () => {
    const dataset = newDataset();
    const session = await openList(storeOf(server(), dataset));
    await session.apply(push('a'));
    await session.compact();
    await session.apply(push('b'));
    const read = await readSessionState(listOptions({ store: storeOf(server(), dataset) }));
    expect(read).toEqual({ state: { items: ['a', 'b'] }, revision: 2 });
    const unknown = await readSessionState(listOptions({ store: storeOf(server(), newDataset()) }));
    expect(unknown).toEqual({ state: { items: [] }, revision: 0 });
  });

  it('refuses a damaged row as SESSION_CORRUPT naming the table, dataset and record', async () => {
    const dataset = newDataset();
    const session = await openList(storeOf(server(), dataset));
    await session.apply(push('a'));
    await session.apply(push('b'));
    await query(
      `UPDATE civtag_entries SET line = replace(line, '"a"', '"z"') WHERE dataset_id = $1 AND seq = 1`,
      [dataset],
    );
    const opening = openList(storeOf(server(), dataset));
    await expect(opening).rejects.toSatisfy(
      (error) =>
        CivtagError.hasCode(error, 'SESSION_CORRUPT') &&
        error.message.includes(`dataset ${dataset} civtag_entries line 1`) &&
        error.message.includes('checksum'),
    );
  });
});
