import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { openSession } from '../src/index.js';
import { listOptions } from './list-model.js';
import { temporaryFolder } from './temporary-folder.js';

const key = (opId: string) => ({ clientId: 'tab-1', opId });

async function journalLines(dir: string): Promise<number> {
  const text = await readFile(path.join(dir, 'journal.jsonl'), 'utf8');
  return text === '' ? 0 : text.trimEnd().split('\n').length;
}

describe('idempotency keys', () => {
  it('answers a resent key with the first answer and appends nothing', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const first = await session.apply({ type: 'push', value: 'a' }, key('op-1'));
    await session.apply({ type: 'push', value: 'b' });
    const again = await session.apply({ type: 'push', value: 'a' }, key('op-1'));
    expect(first).toEqual({ revision: 1, result: { length: 1 }, duplicate: false });
    expect(again).toEqual({ revision: 1, result: { length: 1 }, duplicate: true });
    expect(session.state.items).toEqual(['a', 'b']);
    expect(await journalLines(dir)).toBe(2);
    await session.close();
  });

  it('tells keys of different clients apart', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' }, { clientId: 'tab-1', opId: '1' });
    const other = await session.apply(
      { type: 'push', value: 'a' },
      { clientId: 'tab-2', opId: '1' },
    );
    expect(other.duplicate).toBe(false);
    expect(session.state.items).toEqual(['a', 'a']);
    await session.close();
  });

  it('remembers keys across a crash (from the journal)', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' }, key('op-1'));
    await unlink(path.join(dir, 'lock'));
    await session.close().catch(() => undefined);
    const reopened = await openSession(listOptions(dir));
    const again = await reopened.apply({ type: 'push', value: 'a' }, key('op-1'));
    expect(again).toEqual({ revision: 1, result: { length: 1 }, duplicate: true });
    expect(reopened.state.items).toEqual(['a']);
    await reopened.close();
  });

  it('remembers keys across a clean close (from the snapshot)', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' }, key('op-1'));
    await session.close();
    expect(await journalLines(dir)).toBe(0);
    const reopened = await openSession(listOptions(dir));
    const again = await reopened.apply({ type: 'push', value: 'a' }, key('op-1'));
    expect(again).toEqual({ revision: 1, result: { length: 1 }, duplicate: true });
    await reopened.close();
  });

  it('forgets the oldest keys beyond keyMemory', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir, { keyMemory: 2 }));
    for (const opId of ['1', '2', '3']) {
      await session.apply({ type: 'push', value: opId }, key(opId));
    }
    await session.close();
    const reopened = await openSession(listOptions(dir, { keyMemory: 2 }));
    expect((await reopened.apply({ type: 'push', value: '3' }, key('3'))).duplicate).toBe(true);
    expect((await reopened.apply({ type: 'push', value: '1' }, key('1'))).duplicate).toBe(false);
    await reopened.close();
  });

  it('refuses a malformed key', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const bad = { clientId: '', opId: 'x' };
    await expect(session.apply({ type: 'push', value: 'a' }, bad)).rejects.toSatisfy((error) =>
      CivtagError.hasCode(error, 'VALIDATION'),
    );
    expect(session.revision).toBe(0);
    await session.close();
  });
});

describe('changesSince', () => {
  it('returns the entries after a revision, with results and keys', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' });
    await session.apply({ type: 'push', value: 'b' }, key('op-2'));
    expect(session.changesSince(0)).toEqual({
      reload: false,
      entries: [
        { revision: 1, entry: { type: 'push', value: 'a' }, result: { length: 1 } },
        {
          revision: 2,
          entry: { type: 'push', value: 'b' },
          result: { length: 2 },
          key: key('op-2'),
        },
      ],
    });
    expect(session.changesSince(2)).toEqual({ reload: false, entries: [] });
    await session.close();
  });

  it('asks for a reload when the revision is older than the feed holds, or in the future', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir, { feedSize: 3 }));
    for (let index = 0; index < 10; index += 1) {
      await session.apply({ type: 'push', value: String(index) });
    }
    expect(session.changesSince(6)).toEqual({ reload: true });
    const recent = session.changesSince(7);
    expect(recent.reload === false && recent.entries.map((entry) => entry.revision)).toEqual([
      8, 9, 10,
    ]);
    expect(session.changesSince(11)).toEqual({ reload: true });
    expect(session.changesSince(-1)).toEqual({ reload: true });
    await session.close();
  });

  it('rebuilds the feed from the journal after a restart', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' });
    await unlink(path.join(dir, 'lock'));
    await session.close().catch(() => undefined);
    const reopened = await openSession(listOptions(dir));
    expect(reopened.changesSince(0)).toEqual({
      reload: false,
      entries: [{ revision: 1, entry: { type: 'push', value: 'a' }, result: { length: 1 } }],
    });
    await reopened.close();
  });
});
