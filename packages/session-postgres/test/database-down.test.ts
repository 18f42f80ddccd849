import { CivtagError } from '@civtag/api-models';
import { openSession } from '@civtag/session';
import { describe, expect, it } from 'vitest';
import { listOptions, push } from './list-model.js';
import { newDataset, openList, storeOf, usePostgres, waitUntil } from './postgres.js';

const { server } = usePostgres();

/** True for the error of a database that is away: IO_ERROR naming it, saying civtag retries. */
function isDatabaseAway(error: unknown): boolean {
  const where = `127.0.0.1:${server().port}`;
  return (
    CivtagError.hasCode(error, 'IO_ERROR') &&
    error.message.includes(`PostgreSQL database at ${where} cannot be reached`) &&
    error.message.includes('civtag tries again') &&
    error.details?.retrying === true
  );
}

describe('a session whose database goes away', () => {
  it('refuses ops with a clear error while PostgreSQL is down, and applies them once it is back', async () => {
    const dataset = newDataset();
    const session = await openList(storeOf(server(), dataset));
    await session.apply(push('before'), { clientId: 'tab', opId: '1' });
    await server().stopServer();
    try {
      await expect(
        session.apply(push('while down'), { clientId: 'tab', opId: '2' }),
      ).rejects.toSatisfy(isDatabaseAway);
      expect(session.revision).toBe(1);
    } finally {
      await server().start();
    }
    // Sent again, as a client does with a refused op: applied now, once.
    expect(await session.apply(push('while down'), { clientId: 'tab', opId: '2' })).toMatchObject({
      revision: 2,
      duplicate: false,
    });
    expect(await session.apply(push('before'), { clientId: 'tab', opId: '1' })).toMatchObject({
      revision: 1,
      duplicate: true,
    });
    expect(session.state.items).toEqual(['before', 'while down']);
  });

  it('keeps every acknowledged op exactly once across a restart of PostgreSQL mid-stream', async () => {
    const dataset = newDataset();
    const writers = [
      await openList(storeOf(server(), dataset)),
      await openList(storeOf(server(), dataset)),
    ];
    const acknowledged = new Map<string, number>();
    const refusals: unknown[] = [];
    let restarted: Promise<void> | undefined;
    await Promise.all(
      writers.map(async (session, index) => {
        for (let op = 1; op <= 60; op += 1) {
          const value = `w${index}-${op}`;
          if (index === 0 && op === 20) restarted = server().restart();
          // A client sends an op again, with its key, until it is acknowledged.
          for (;;) {
            try {
              const outcome = await session.apply(push(value), {
                clientId: `w${index}`,
                opId: `${op}`,
              });
              acknowledged.set(value, outcome.revision);
              break;
            } catch (error) {
              refusals.push(error);
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          }
        }
      }),
    );
    await restarted;
    // The restart was seen, and said so clearly.
    expect(refusals.length).toBeGreaterThan(0);
    for (const error of refusals) expect(CivtagError.hasCode(error, 'IO_ERROR')).toBe(true);
    expect(refusals.some(isDatabaseAway)).toBe(true);
    await Promise.all(writers.map((session) => session.catchUp()));
    const fresh = await openList(storeOf(server(), dataset));
    const items = fresh.state.items;
    expect(items.length).toBe(120);
    expect(new Set(items).size).toBe(120);
    for (const [value, revision] of acknowledged) expect(items[revision - 1]).toBe(value);
    for (const session of writers) expect(session.state).toEqual(fresh.state);
  });

  it('says at open that the database is down, and opens once it is up', async () => {
    const dataset = newDataset();
    await server().stopServer();
    const told: CivtagError[] = [];
    const opening = openSession(
      listOptions({
        store: storeOf(server(), dataset, { onUnavailable: (error) => told.push(error) }),
      }),
    );
    try {
      await waitUntil(() => told.length > 0, 'the store to report the database down');
    } finally {
      await server().start();
    }
    const session = await opening;
    expect(told.every(isDatabaseAway)).toBe(true);
    expect(told[0]?.message).toContain('Opening the session');
    await session.apply(push('a'));
    await session.close();
  });

  it('gives up opening after openTimeoutMs with the same clear error', async () => {
    await server().stopServer();
    try {
      const opening = openSession(
        listOptions({ store: storeOf(server(), newDataset(), { openTimeoutMs: 300 }) }),
      );
      await expect(opening).rejects.toSatisfy(isDatabaseAway);
    } finally {
      await server().start();
    }
  });
});
