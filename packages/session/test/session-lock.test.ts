import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { openSession } from '../src/index.js';
import { deadPid } from './dead-pid.js';
import { listOptions } from './list-model.js';
import { temporaryFolder } from './temporary-folder.js';

describe('the directory lock', () => {
  it('writes pid, host, start time and a token into the lock file', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const lock = JSON.parse(await readFile(path.join(dir, 'lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, host: hostname() });
    expect(Number.isNaN(Date.parse(lock.startedAt))).toBe(false);
    expect(lock.token).toMatch(/^[0-9a-f-]{36}$/);
    await session.close();
  });

  it('refuses a second opener with SESSION_LOCKED naming the owner', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const lock = JSON.parse(await readFile(path.join(dir, 'lock'), 'utf8'));
    const error = await openSession(listOptions(dir)).catch((caught: unknown) => caught);
    expect(CivtagError.hasCode(error, 'SESSION_LOCKED')).toBe(true);
    expect((error as CivtagError).details).toEqual({
      pid: process.pid,
      host: hostname(),
      startedAt: lock.startedAt,
    });
    expect((error as Error).message).toContain(`process ${process.pid}`);
    // The refused opener left the owner's lock alone.
    await session.apply({ type: 'push', value: 'still mine' });
    await session.close();
  });

  it('takes over at once a lock whose process is dead on this host', async () => {
    const dir = await temporaryFolder();
    const stale = { pid: await deadPid(), host: hostname(), startedAt: 'earlier', token: 'old' };
    await writeFile(path.join(dir, 'lock'), JSON.stringify(stale));
    const session = await openSession(listOptions(dir));
    const lock = JSON.parse(await readFile(path.join(dir, 'lock'), 'utf8'));
    expect(lock.pid).toBe(process.pid);
    await session.close();
  });

  it('does not take over a lock of another host, whose process it cannot check', async () => {
    const dir = await temporaryFolder();
    const foreign = { pid: await deadPid(), host: 'elsewhere', startedAt: 'earlier', token: 'x' };
    await writeFile(path.join(dir, 'lock'), JSON.stringify(foreign));
    await expect(openSession(listOptions(dir))).rejects.toMatchObject({
      code: 'SESSION_LOCKED',
      details: { pid: foreign.pid, host: 'elsewhere', startedAt: 'earlier' },
    });
  });

  it('refuses a lock file it cannot read rather than guessing', async () => {
    const dir = await temporaryFolder();
    await writeFile(path.join(dir, 'lock'), 'not json');
    await expect(openSession(listOptions(dir))).rejects.toMatchObject({ code: 'SESSION_LOCKED' });
    expect(await readFile(path.join(dir, 'lock'), 'utf8')).toBe('not json');
  });

  it('notices a lock removed under it: lock-lost, and applies fail', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const lost: CivtagError[] = [];
    session.on('lock-lost', (error) => lost.push(error));
    await session.apply({ type: 'push', value: 'before' });
    await unlink(path.join(dir, 'lock'));
    await expect(session.apply({ type: 'push', value: 'after' })).rejects.toMatchObject({
      code: 'SESSION_LOCKED',
    });
    expect(lost).toHaveLength(1);
    expect(lost[0]?.message).toContain('was removed');
    expect(session.state.items).toEqual(['before']);
    await expect(session.compact()).rejects.toMatchObject({ code: 'SESSION_LOCKED' });
    await session.close();
    // Closing wrote nothing: the journal still holds the entry and no snapshot appeared.
    await expect(readFile(path.join(dir, 'session.json'))).rejects.toThrow(/ENOENT/);
  });

  it('notices a lock replaced under it without an apply (watch and interval)', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir, { lockCheckIntervalMs: 100 }));
    const lost = new Promise<CivtagError>((resolve) => session.on('lock-lost', resolve));
    const intruder = { pid: 4242, host: 'other', startedAt: 'now', token: 'theirs' };
    const replacement = path.join(dir, 'lock.new');
    await writeFile(replacement, JSON.stringify(intruder));
    await rename(replacement, path.join(dir, 'lock'));
    const error = await lost;
    expect(error.code).toBe('SESSION_LOCKED');
    expect(error.details).toEqual({ pid: 4242, host: 'other', startedAt: 'now' });
    await session.close();
    // The intruder's lock is not removed by the session that lost it.
    expect(JSON.parse(await readFile(path.join(dir, 'lock'), 'utf8')).token).toBe('theirs');
  });

  it('releases the lock when open fails, so a fixed folder opens', async () => {
    const dir = await temporaryFolder();
    await writeFile(path.join(dir, 'session.json'), '{');
    await expect(openSession(listOptions(dir))).rejects.toMatchObject({ code: 'SESSION_CORRUPT' });
    await unlink(path.join(dir, 'session.json'));
    const session = await openSession(listOptions(dir));
    await session.close();
  });
});
