import { execFile } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { CivtagError } from '@civtag/api-models';
import { mountTmpfs, type TestDisk } from '@civtag/test-disk';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openSession, readSessionState, type Session } from '../src/index.js';
import { bundleChild, removeBundles } from './child/bundle-child.js';
import { type ListEntry, type ListResult, type ListState, listOptions } from './list-model.js';

// Every test here runs on a real tmpfs of 1 MiB: the disk is really filled, really freed and
// really remounted read-only. tmpfs gives out whole pages of 4 KiB, so a journal whose last page
// has room takes a short line even on a full disk; the tests start from an empty journal (after
// a compaction) or write a line longer than a page where they need the append to fail.

const NOBODY = 65534;
let disk: TestDisk | undefined;

afterEach(async () => {
  await disk?.unmount();
  disk = undefined;
});
afterAll(removeBundles);

async function sessionOnDisk(): Promise<{ dir: string; journal: string; snapshot: string }> {
  disk = await mountTmpfs({ sizeBytes: 1024 * 1024 });
  const dir = path.join(disk.dir, 'dataset', '.civtag');
  await mkdir(dir, { recursive: true });
  return {
    dir,
    journal: path.join(dir, 'journal.jsonl'),
    snapshot: path.join(dir, 'session.json'),
  };
}

/** The error `promise` rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<CivtagError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!CivtagError.isInstance(error)) throw new Error(`Expected a civtag error, got ${error}`);
  return error;
}

/** Opens the session in `dir` again and returns its state and revision. */
async function reopened(dir: string): Promise<{ items: string[]; revision: number }> {
  const session = await openSession(listOptions(dir));
  const result = { items: [...session.state.items], revision: session.revision };
  await session.close();
  return result;
}

/** Opens a session, applies `values` and compacts, so that the journal is empty (no page). */
async function compactedSession(
  dir: string,
  values: string[],
): Promise<Session<ListState, ListEntry, ListResult>> {
  const session = await openSession(listOptions(dir, { journalBound: 1_000 }));
  for (const value of values) await session.apply({ type: 'push', value });
  await session.compact();
  return session;
}

describe('an append on a full disk', () => {
  it('is refused with DISK_FULL naming the folder, changes nothing, and the next apply after freeing space takes the next revision', async () => {
    const { dir, journal } = await sessionOnDisk();
    const session = await compactedSession(dir, ['a']);
    await disk!.fill();

    const error = await rejection(session.apply({ type: 'push', value: 'b' }));
    expect(error.code).toBe('DISK_FULL');
    expect(error.details).toMatchObject({ path: journal, systemCode: 'ENOSPC' });
    expect(error.message).toContain(dir);
    expect(error.message).toMatch(/full: free some space/);
    expect(session.state.items).toEqual(['a']);
    expect(session.revision).toBe(1);
    expect((await stat(journal)).size).toBe(0);

    await disk!.free();
    const next = await session.apply({ type: 'push', value: 'c' });
    expect(next.revision).toBe(2);
    await session.close();
    expect(await reopened(dir)).toEqual({ items: ['a', 'c'], revision: 2 });
  });

  it('cuts a line written in part back off, so that later appends and a reopen read a clean journal', async () => {
    const { dir, journal } = await sessionOnDisk();
    const session = await openSession(listOptions(dir, { journalBound: 1_000 }));
    await session.apply({ type: 'push', value: 'a' });
    const before = (await stat(journal)).size;
    // The rest of the journal's page and two more are free: a line of 20 KB is written in
    // part, then the disk is full.
    await disk!.fill(8192);

    const error = await rejection(session.apply({ type: 'push', value: 'x'.repeat(20_000) }));
    expect(error.code).toBe('DISK_FULL');
    expect((await stat(journal)).size).toBe(before);
    expect(session.state.items).toEqual(['a']);

    await disk!.free();
    expect((await session.apply({ type: 'push', value: 'b' })).revision).toBe(2);
    // The journal holds only whole lines; read it as a reader would, before close compacts it.
    const lines = (await readFile(journal, 'utf8')).split('\n').filter((line) => line !== '');
    expect(lines.map((line) => JSON.parse(line).rev)).toEqual([1, 2]);
    const read = await readSessionState(listOptions(dir));
    expect(read).toMatchObject({ state: { items: ['a', 'b'] }, revision: 2 });
    await session.close();
    expect(await reopened(dir)).toEqual({ items: ['a', 'b'], revision: 2 });
  });

  it('refuses a whole batch (applyMany) with DISK_FULL, and the batch after freeing space takes the next revisions', async () => {
    const { dir, journal } = await sessionOnDisk();
    const session = await compactedSession(dir, ['a']);
    await disk!.fill(4096);

    const batch: ListEntry[] = Array.from({ length: 40 }, (_, index) => ({
      type: 'push',
      value: `${index}`.padEnd(200, '.'),
    }));
    const error = await rejection(session.applyMany(batch));
    expect(error.code).toBe('DISK_FULL');
    expect(error.details).toMatchObject({ path: journal });
    expect((await stat(journal)).size).toBe(0);
    expect(session.state.items).toEqual(['a']);
    expect(session.revision).toBe(1);

    await disk!.free();
    const outcomes = await session.applyMany(batch.slice(0, 3));
    expect(outcomes.map((outcome) => outcome.applied && outcome.revision)).toEqual([2, 3, 4]);
    await session.close();
    expect((await reopened(dir)).revision).toBe(4);
  });
});

describe('a compaction on a full disk', () => {
  it('fails on its own (the apply that started it succeeds), keeps the previous snapshot and journal, and is tried again at the next bound', async () => {
    const { dir, snapshot } = await sessionOnDisk();
    const session = await openSession(listOptions(dir, { journalBound: 3 }));
    const failures: CivtagError[] = [];
    session.on('compaction-failed', (error) => failures.push(error));
    await session.apply({ type: 'push', value: 'a' });
    await session.compact();
    // The journal's first page is taken now: the lines below fit in it on a full disk.
    await session.apply({ type: 'push', value: 'b' });
    await disk!.fill();

    await session.apply({ type: 'push', value: 'c' });
    // The third entry since the compaction reaches the bound: this apply starts one.
    expect((await session.apply({ type: 'push', value: 'd' })).revision).toBe(4);
    // An apply queues behind the compaction it started: once it resolves, that one is over.
    await session.apply({ type: 'push', value: 'e' });
    expect(failures.map((failure) => failure.code)).toEqual(['DISK_FULL']);
    expect(failures[0]!.message).toContain(dir);
    expect(JSON.parse(await readFile(snapshot, 'utf8')).revision).toBe(1);
    expect((await readdir(dir)).filter((name) => name.includes('tmp'))).toEqual([]);
    const read = await readSessionState(listOptions(dir));
    expect(read).toMatchObject({ state: { items: ['a', 'b', 'c', 'd', 'e'] }, revision: 5 });

    await disk!.free();
    // The next bound (three entries after the failed start) compacts again, now with room.
    await session.apply({ type: 'push', value: 'f' });
    await session.apply({ type: 'push', value: 'g' });
    await session.apply({ type: 'push', value: 'h' });
    expect(failures).toHaveLength(1);
    expect(JSON.parse(await readFile(snapshot, 'utf8')).revision).toBe(7);
    await session.close();
    expect(await reopened(dir)).toEqual({
      items: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
      revision: 8,
    });
  });
});

describe('a session folder that may not be written', () => {
  it('on a read-only disk is refused at open with NOT_WRITABLE naming the lock, and opens once the disk is writable', async () => {
    const { dir } = await sessionOnDisk();
    await (await compactedSession(dir, ['a'])).close();
    await disk!.setReadOnly(true);

    const error = await rejection(openSession(listOptions(dir)));
    expect(error.code).toBe('NOT_WRITABLE');
    expect(error.details).toMatchObject({ path: path.join(dir, 'lock'), systemCode: 'EROFS' });
    expect(error.message).toContain(dir);
    expect(error.message).toMatch(/make it writable/);
    // Reading needs no lock: the state is there.
    expect((await readSessionState(listOptions(dir))).state.items).toEqual(['a']);

    await disk!.setReadOnly(false);
    expect(await reopened(dir)).toEqual({ items: ['a'], revision: 1 });
  });

  it('without write permission (a user other than its owner) is refused at open with NOT_WRITABLE, in a process running as nobody', async () => {
    if (process.getuid?.() !== 0) {
      throw new Error(
        'This test runs a child process as nobody, which needs root: run it as root.',
      );
    }
    const { dir } = await sessionOnDisk();
    await (await compactedSession(dir, ['a'])).close();
    const bundle = await bundleChild();
    await chmod(path.dirname(bundle), 0o755);
    await chmod(bundle, 0o644);
    // The folder is root's (mode 755): nobody may read it, not write in it.
    const { stdout } = await promisify(execFile)(process.execPath, [bundle, 'open', dir], {
      uid: NOBODY,
      gid: NOBODY,
    });
    const [word, ...rest] = stdout.trim().split(' ');
    expect(word).toBe('refused');
    const refused = JSON.parse(rest.join(' '));
    expect(refused.code).toBe('NOT_WRITABLE');
    expect(refused.details).toMatchObject({ path: path.join(dir, 'lock'), systemCode: 'EACCES' });
    expect(refused.message).toContain(dir);
  });
});
