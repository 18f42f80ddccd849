import { open, readFile, stat, truncate, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSession, type Session } from '../src/index.js';
import {
  expectedEntry,
  type ListEntry,
  type ListResult,
  type ListState,
  listOptions,
} from './list-model.js';
import { temporaryFolder } from './temporary-folder.js';

type ListSession = Session<ListState, ListEntry, ListResult>;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Frees the folder without compacting, as if the process had been killed. */
async function crash(session: ListSession, dir: string): Promise<void> {
  await unlink(path.join(dir, 'lock'));
  await session.close().catch(() => undefined);
}

async function journalLines(dir: string): Promise<string[]> {
  const text = await readFile(path.join(dir, 'journal.jsonl'), 'utf8');
  return text === '' ? [] : text.trimEnd().split('\n');
}

const ENTRIES: ListEntry[] = Array.from({ length: 30 }, (_, index) => expectedEntry(index + 1));

describe('a batch of entries (applyMany)', () => {
  it('journals the batch as one line and applies each entry with its own revision', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'first' });
    const outcomes = await session.applyMany([
      { type: 'push', value: 'a' },
      { type: 'bulk', values: ['b', 'c'] },
      { type: 'pop' },
    ]);
    expect(outcomes).toEqual([
      { applied: true, revision: 2, result: { length: 2 } },
      { applied: true, revision: 3, result: { length: 4 } },
      { applied: true, revision: 4, result: { length: 3 } },
    ]);
    expect(session.revision).toBe(4);
    expect(session.state.items).toEqual(['first', 'a', 'b']);
    const lines = await journalLines(dir);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\{"rev":2,"entries":\[/);
    await crash(session, dir);
  });

  it('replays into exactly the state, revisions and change feed of the same entries applied one by one', async () => {
    const single = await temporaryFolder();
    const batched = await temporaryFolder();
    const one = await openSession(listOptions(single));
    for (const entry of ENTRIES) await one.apply(entry);
    const many = await openSession(listOptions(batched));
    // Batches of every size, a lone entry among them.
    for (const [from, to] of [
      [0, 1],
      [1, 8],
      [8, 9],
      [9, 23],
      [23, 30],
    ] as const) {
      await many.applyMany(ENTRIES.slice(from, to));
    }
    expect(many.state).toEqual(one.state);
    expect(many.changesSince(0)).toEqual(one.changesSince(0));
    await crash(one, single);
    await crash(many, batched);
    const replayedSingle = await openSession(listOptions(single));
    const replayedBatch = await openSession(listOptions(batched));
    expect(replayedBatch.revision).toBe(ENTRIES.length);
    expect(replayedBatch.state).toEqual(replayedSingle.state);
    expect(replayedBatch.changesSince(0)).toEqual(replayedSingle.changesSince(0));
    expect(replayedBatch.changesSince(12)).toEqual(replayedSingle.changesSince(12));
    await replayedSingle.close();
    await replayedBatch.close();
  });

  it('leaves out an entry the reducer refuses, with its error, and replay leaves out the same one', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const outcomes = await session.applyMany([
      { type: 'pop' },
      { type: 'push', value: 'a' },
      { type: 'pop' },
      { type: 'pop' },
      { type: 'push', value: 'b' },
    ]);
    expect(outcomes.map((outcome) => (outcome.applied ? outcome.revision : 'refused'))).toEqual([
      'refused',
      1,
      2,
      'refused',
      3,
    ]);
    const refused = outcomes[0];
    expect(refused?.applied === false && CivtagError.hasCode(refused.error, 'VALIDATION')).toBe(
      true,
    );
    expect(session.state.items).toEqual(['b']);
    await session.apply({ type: 'push', value: 'after' });
    await crash(session, dir);
    const reopened = await openSession(listOptions(dir));
    expect(reopened.revision).toBe(4);
    expect(reopened.state.items).toEqual(['b', 'after']);
    expect(reopened.changesSince(0)).toMatchObject({
      reload: false,
      entries: [{ revision: 1 }, { revision: 2 }, { revision: 3 }, { revision: 4 }],
    });
    await reopened.close();
  });

  it('keeps none of a batch whose line a crash cut short, and appends cleanly after it', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'kept' });
    const journal = path.join(dir, 'journal.jsonl');
    const before = (await stat(journal)).size;
    await session.applyMany([
      { type: 'push', value: 'x' },
      { type: 'push', value: 'y' },
      { type: 'push', value: 'z' },
    ]);
    const after = (await stat(journal)).size;
    await crash(session, dir);
    // Cut anywhere inside the batch's line: even past its last entry, the line fails as a whole.
    for (const keep of [1, Math.floor((after - before) / 2), after - before - 2]) {
      await truncate(journal, before + keep);
      const reopened = await openSession(listOptions(dir));
      expect(reopened.revision).toBe(1);
      expect(reopened.state.items).toEqual(['kept']);
      await reopened.applyMany([{ type: 'push', value: 'next' }]);
      await crash(reopened, dir);
      const again = await openSession(listOptions(dir));
      expect(again.state.items).toEqual(['kept', 'next']);
      await crash(again, dir);
      await truncate(journal, before);
    }
  });

  it('refuses a batch with an entry that fails its schema, and writes none of it', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await expect(
      session.applyMany([
        { type: 'push', value: 'fine' },
        { type: 'push', value: 3 } as unknown as ListEntry,
      ]),
    ).rejects.toSatisfy((error) => CivtagError.hasCode(error, 'VALIDATION'));
    expect(session.revision).toBe(0);
    expect(await journalLines(dir)).toEqual([]);
    await session.close();
  });

  it('changes nothing when the journal write fails, and stays usable', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const handle = await open(path.join(dir, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(handle);
    await handle.close();
    // A disk that fails; a full one is tested on a real one (full-disk.test.ts).
    const failure: NodeJS.ErrnoException = Object.assign(new Error('EIO: i/o error'), {
      code: 'EIO',
    });
    vi.spyOn(prototype, 'datasync').mockRejectedValueOnce(failure);
    await expect(
      session.applyMany([
        { type: 'push', value: 'a' },
        { type: 'push', value: 'b' },
      ]),
    ).rejects.toSatisfy((error) => CivtagError.hasCode(error, 'IO_ERROR'));
    expect(session.state.items).toEqual([]);
    expect(session.revision).toBe(0);
    expect(await journalLines(dir)).toEqual([]);
    await session.applyMany([{ type: 'push', value: 'c' }]);
    await crash(session, dir);
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['c']);
    await reopened.close();
  });

  it('writes nothing for an empty batch', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    expect(await session.applyMany([])).toEqual([]);
    expect(session.revision).toBe(0);
    expect(await journalLines(dir)).toEqual([]);
    await session.close();
  });
});
