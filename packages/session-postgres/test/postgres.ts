import { openSession, type Session } from '@civtag/session';
import { startPostgres, type TestPostgres } from '@civtag/test-postgres';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { PostgresSessionStore, type PostgresSessionStoreOptions } from '../src/index.js';
import { type ListEntry, type ListResult, type ListState, listOptions } from './list-model.js';

/**
 * Starts one PostgreSQL server for the test file (a real one: Debian's binaries, see
 * `@civtag/test-postgres`) and stops it afterwards. Sessions opened with {@link openList} are
 * closed after each test.
 */
export function usePostgres(): { server: () => TestPostgres } {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    server: () => {
      if (server === undefined) throw new Error('The test PostgreSQL server did not start.');
      return server;
    },
  };
}

const open = new Set<Session<ListState, ListEntry, ListResult>>();
afterEach(async () => {
  await Promise.all([...open].map((session) => session.close().catch(() => undefined)));
  open.clear();
});

let datasets = 0;
/** A dataset id no other test uses. */
export function newDataset(): string {
  datasets += 1;
  return `dataset-${process.pid}-${datasets}`;
}

/** A store of `dataset` on `server`, polling quickly so that tests do not wait long. */
export function storeOf(
  server: TestPostgres,
  dataset: string,
  options: Partial<PostgresSessionStoreOptions> = {},
): PostgresSessionStore {
  return new PostgresSessionStore({
    connectionString: server.url,
    dataset,
    pollIntervalMs: 100,
    reconnectDelayMs: 100,
    leaseCheckIntervalMs: 100,
    ...options,
  });
}

/** Opens a list session on `store`; it is closed after the test. */
export async function openList(
  store: PostgresSessionStore,
  overrides: Parameters<typeof listOptions>[0] = {},
): Promise<Session<ListState, ListEntry, ListResult>> {
  const session = await openSession(listOptions({ store, ...overrides }));
  open.add(session);
  return session;
}

/**
 * Waits until `condition()` holds, checking every 20 ms; fails naming `what` after 20 s (a bound
 * on a hung test, not a measure of speed).
 */
export async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) expect.fail(`Waited 20 s for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Ends the listening connection of `store` from the server's side (as a network fault or a
 * restart does), and waits until the store noticed. Notifications sent after it are missed.
 */
export async function cutListener(
  server: TestPostgres,
  store: PostgresSessionStore,
): Promise<void> {
  await waitUntil(() => store.listenerPid !== undefined, 'the store to listen');
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [store.listenerPid]);
  } finally {
    await admin.end();
  }
  await waitUntil(() => store.listenerPid === undefined, 'the store to notice its connection lost');
}
