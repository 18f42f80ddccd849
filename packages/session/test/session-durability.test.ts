import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { openSession } from '../src/index.js';
import { type ListEntry, listOptions, replayList } from './list-model.js';
import { temporaryFolder } from './temporary-folder.js';

describe('openSession', () => {
  it('starts from the initial state in a new folder and creates it', async () => {
    const dir = path.join(await temporaryFolder(), 'nested', '.civtag');
    const session = await openSession(listOptions(dir));
    expect(session.state).toEqual({ items: [] });
    expect(session.revision).toBe(0);
    await session.close();
  });

  it('keeps every applied entry across a close and reopen', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    expect(await session.apply({ type: 'push', value: 'a' })).toEqual({
      revision: 1,
      result: { length: 1 },
      duplicate: false,
    });
    await session.apply({ type: 'bulk', values: ['b', 'c'] });
    await session.close();
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state).toEqual({ items: ['a', 'b', 'c'] });
    expect(reopened.revision).toBe(2);
    await reopened.close();
  });

  it('keeps entries journaled by a session that never closed', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const entries: ListEntry[] = [
      { type: 'push', value: 'x' },
      { type: 'push', value: 'y' },
      { type: 'pop' },
    ];
    for (const entry of entries) await session.apply(entry);
    const journal = await readFile(path.join(dir, 'journal.jsonl'), 'utf8');
    expect(journal.trim().split('\n')).toHaveLength(3);
    // Simulate a crash: free the lock without compacting.
    await releaseWithoutClosing(dir);
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state).toEqual(replayList(entries));
    expect(reopened.revision).toBe(3);
    await reopened.close();
    await session.close().catch(() => undefined);
  });

  it('journals a bulk entry as one line, however much it touches', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const values = Array.from({ length: 5000 }, (_, index) => `value ${index}`);
    await session.apply({ type: 'bulk', values });
    const journal = await readFile(path.join(dir, 'journal.jsonl'), 'utf8');
    expect(journal.split('\n')).toEqual([expect.stringMatching(/^\{"rev":1,/), '']);
    await session.close();
  });

  it('refuses an entry the reducer refuses and changes nothing', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await expect(session.apply({ type: 'pop' })).rejects.toSatisfy((error) =>
      CivtagError.hasCode(error, 'VALIDATION'),
    );
    expect(session.revision).toBe(0);
    expect(await readFile(path.join(dir, 'journal.jsonl'), 'utf8')).toBe('');
    await session.close();
  });

  it('refuses an entry that fails the entry schema', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const bad = { type: 'push', value: 3 } as unknown as ListEntry;
    await expect(session.apply(bad)).rejects.toThrow(/Invalid session entry: value/);
    expect(session.revision).toBe(0);
    await session.close();
  });
});

async function releaseWithoutClosing(dir: string): Promise<void> {
  const { unlink } = await import('node:fs/promises');
  await unlink(path.join(dir, 'lock'));
}
