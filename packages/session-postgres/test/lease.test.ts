import type { CivtagError } from '@civtag/api-models';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { newDataset, openList, storeOf, usePostgres, waitUntil } from './postgres.js';

const { server } = usePostgres();

describe('the lease of a dataset (who writes caption files)', () => {
  it('is held by one server at a time, and passes on when released', async () => {
    const dataset = newDataset();
    const [a, b] = [storeOf(server(), dataset), storeOf(server(), dataset)];
    await openList(a);
    await openList(b);
    const first = await a.tryLease();
    expect(first?.held).toBe(true);
    expect(await b.tryLease()).toBeUndefined();
    // Another dataset's lease is another lock.
    const other = storeOf(server(), newDataset());
    await openList(other);
    expect((await other.tryLease())?.held).toBe(true);
    await first?.release();
    expect(first?.held).toBe(false);
    const second = await b.tryLease();
    expect(second?.held).toBe(true);
    expect(await a.tryLease()).toBeUndefined();
  });

  it('is lost when its connection is, says so, and can then be taken by another server', async () => {
    const dataset = newDataset();
    const [a, b] = [storeOf(server(), dataset), storeOf(server(), dataset)];
    await openList(a);
    await openList(b);
    const lease = await a.tryLease();
    const lost: CivtagError[] = [];
    lease?.onLost((error) => lost.push(error));
    const admin = new pg.Client({ connectionString: server().url });
    await admin.connect();
    try {
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'civtag-lease'",
      );
    } finally {
      await admin.end();
    }
    await waitUntil(() => lost.length > 0, 'the lease to be reported lost');
    expect(lease?.held).toBe(false);
    expect(lost[0]?.code).toBe('SESSION_LOCKED');
    expect(lost[0]?.message).toContain(`127.0.0.1:${server().port} was lost`);
    expect((await b.tryLease())?.held).toBe(true);
  });

  it('records, for every server, how far its holder has written; only while held', async () => {
    const dataset = newDataset();
    const [a, b] = [storeOf(server(), dataset), storeOf(server(), dataset)];
    await openList(a);
    await openList(b);
    expect(await b.readWritten()).toBeUndefined();
    const lease = await a.tryLease();
    await lease?.recordWritten?.(41);
    expect(await b.readWritten()).toBe(41);
    expect(await a.readWritten()).toBe(41);
    await lease?.release();
    await expect(lease?.recordWritten?.(42)).rejects.toThrow();
    // The next holder goes on from the record.
    const next = await b.tryLease();
    expect(await b.readWritten()).toBe(41);
    await next?.recordWritten?.(43);
    expect(await a.readWritten()).toBe(43);
  });

  it('is released when the store closes', async () => {
    const dataset = newDataset();
    const a = storeOf(server(), dataset);
    const session = await openList(a);
    expect((await a.tryLease())?.held).toBe(true);
    await session.close();
    const b = storeOf(server(), dataset);
    await openList(b);
    expect((await b.tryLease())?.held).toBe(true);
  });
});
