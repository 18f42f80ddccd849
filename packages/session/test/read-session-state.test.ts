import { createHash } from 'node:crypto';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isSessionHeld, openSession, readSessionState } from '../src/index.js';
import { bundleChild, removeBundles } from './child/bundle-child.js';
import { type RunningChild, startChild } from './child/running-child.js';
import { deadPid } from './dead-pid.js';
import {
  expectedEntry,
  expectedState,
  type ListState,
  listOptions,
  reduceList,
} from './list-model.js';
import { temporaryFolder } from './temporary-folder.js';

let bundle: string;
beforeAll(async () => {
  bundle = await bundleChild();
});
afterAll(removeBundles);

const children: RunningChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
});

function start(args: string[]): RunningChild {
  const child = startChild(bundle, args);
  children.push(child);
  return child;
}

/** Every file in `dir` with its size, modification time and content, to show nothing changed. */
async function fingerprint(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      const status = await stat(file);
      const content = createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
      return `${name} ${status.size} ${status.mtimeMs} ${content}`;
    }),
  );
}

describe('reading a session that another process holds', () => {
  it('reads the state with the entries only in the holder’s journal, taking no lock and writing nothing', async () => {
    const dir = await temporaryFolder();
    const holder = start(['hold', dir, '30']);
    await holder.waitForLine((line) => line === 'held 30');
    // The holder compacted nothing: entries 1..30 are in its journal only.
    expect(
      JSON.parse(await readFile(path.join(dir, 'session.json'), 'utf8').catch(() => '{}')),
    ).not.toHaveProperty('revision', 30);
    const before = await fingerprint(dir);

    const read = await readSessionState(listOptions(dir));
    expect(read).toEqual({ revision: 30, state: expectedState(30) });
    expect(await fingerprint(dir)).toEqual(before);

    // The holder goes on writing; a new read sees its latest entry.
    holder.process.stdin!.write('next\n');
    await holder.waitForLine((line) => line === 'held 31');
    expect(await readSessionState(listOptions(dir))).toEqual({
      revision: 31,
      state: expectedState(31),
    });
    // And the lock is still the holder's: opening for writing is refused.
    await expect(openSession(listOptions(dir))).rejects.toMatchObject({ code: 'SESSION_LOCKED' });
  });

  it('leaves out a torn last journal line (an append in flight)', async () => {
    const dir = await temporaryFolder();
    const holder = start(['hold', dir, '12']);
    await holder.waitForLine((line) => line === 'held 12');
    await appendFile(path.join(dir, 'journal.jsonl'), '{"rev":13,"entry":{"type":"pu');
    const before = await fingerprint(dir);
    expect(await readSessionState(listOptions(dir))).toEqual({
      revision: 12,
      state: expectedState(12),
    });
    expect(await fingerprint(dir)).toEqual(before);
  });

  it('reads an empty folder as the initial state, creating nothing', async () => {
    const dir = await temporaryFolder();
    expect(await readSessionState(listOptions(dir))).toEqual({ revision: 0, state: { items: [] } });
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a journal with a damaged line in its middle, naming the file and line', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir, { journalBound: 1_000 }));
    for (let revision = 1; revision <= 3; revision += 1)
      await session.apply(expectedEntry(revision));
    const journal = path.join(dir, 'journal.jsonl');
    const lines = (await readFile(journal, 'utf8')).split('\n');
    lines[1] = lines[1]!.replace('"rev":2', '"rev":9');
    await writeFile(journal, lines.join('\n'));
    await expect(readSessionState(listOptions(dir))).rejects.toMatchObject({
      code: 'SESSION_CORRUPT',
      details: { file: journal, line: 2 },
    });
    await session.close().catch(() => undefined);
  });
});

describe('reading a session while its holder compacts after every entry', () => {
  it('reads only states the holder had, each at least as new as the one before', async () => {
    const dir = await temporaryFolder();
    // `crash` mode with a journal bound of 1: every entry is followed by a compaction, which
    // replaces session.json and starts a new journal.
    const writer = start(['crash', dir, '1']);
    await writer.waitForLine((line) => line.startsWith('ack '));
    const expected: ListState[] = [{ items: [] }];
    const expectedAt = (revision: number): ListState => {
      while (expected.length <= revision) {
        const next = structuredClone(expected.at(-1)!);
        reduceList(next, expectedEntry(expected.length)).commit();
        expected.push(next);
      }
      return expected[revision]!;
    };
    const lastAcknowledged = (): number =>
      Number(writer.lines.findLast((line) => line.startsWith('ack '))?.split(' ')[1] ?? 0);
    const firstAcknowledged = lastAcknowledged();
    const revisions: number[] = [];
    // At least 300 reads, and on until the writer has gone through 50 more compactions.
    while (revisions.length < 300 || lastAcknowledged() < firstAcknowledged + 50) {
      const acknowledged = lastAcknowledged();
      const read = await readSessionState(listOptions(dir));
      expect(read.state).toEqual(expectedAt(read.revision));
      // Every entry acknowledged before the read began is in it.
      expect(read.revision).toBeGreaterThanOrEqual(acknowledged);
      revisions.push(read.revision);
    }
    // Reads never went back in time.
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
  });

  it('tells whether a live process holds the session by reading its lock, writing nothing', async () => {
    const dir = await temporaryFolder();
    expect(await isSessionHeld(dir)).toBe(false);
    const holder = start(['hold', dir, '1']);
    await holder.waitForLine((line) => line === 'held 1');
    const before = await fingerprint(dir);
    expect(await isSessionHeld(dir)).toBe(true);
    expect(await fingerprint(dir)).toEqual(before);

    holder.process.kill('SIGKILL');
    await holder.exited;
    // The holder died with its lock in place: a lock opening would take over does not count.
    expect(await isSessionHeld(dir)).toBe(false);
    const lock = path.join(dir, 'lock');
    const owner = { pid: await deadPid(), host: hostname(), startedAt: 'then', token: 'gone' };
    await writeFile(lock, JSON.stringify(owner));
    expect(await isSessionHeld(dir)).toBe(false);
    await writeFile(lock, JSON.stringify({ ...owner, host: 'another-machine' }));
    expect(await isSessionHeld(dir)).toBe(true);
    await writeFile(lock, 'not a lock civtag wrote');
    expect(await isSessionHeld(dir)).toBe(true);
  });
});
