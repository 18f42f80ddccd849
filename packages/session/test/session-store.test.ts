import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { openSession, readSessionState } from '../src/index.js';
import { FileSessionStore } from '../src/store.js';
import { listOptions } from './list-model.js';
import { temporaryFolder } from './temporary-folder.js';

describe('the store of a session', () => {
  it('keeps a session in the FileSessionStore given as store exactly as in dir', async () => {
    const dir = await temporaryFolder();
    const { dir: _, ...options } = listOptions(dir);
    const session = await openSession({ ...options, store: new FileSessionStore(dir) });
    await session.apply({ type: 'push', value: 'a' }, { clientId: 'tab', opId: '1' });
    const line = await readFile(path.join(dir, 'journal.jsonl'), 'utf8');
    expect(line).toMatch(
      /^\{"rev":1,"entry":\{"type":"push","value":"a"\},"key":\{[^}]+\},"crc":"[0-9a-f]{8}"\}\n$/,
    );
    await session.close();
    const read = await readSessionState({ ...options, store: new FileSessionStore(dir) });
    expect(read).toEqual({ state: { items: ['a'] }, revision: 1 });
    const again = await openSession(listOptions(dir));
    expect(again.state.items).toEqual(['a']);
    expect(
      await again.apply({ type: 'push', value: 'a' }, { clientId: 'tab', opId: '1' }),
    ).toMatchObject({ revision: 1, duplicate: true });
    await again.close();
  });

  it('refuses options that give neither dir nor store', async () => {
    const { dir: _, ...options } = listOptions('unused');
    const error = await openSession(options).catch((caught: unknown) => caught);
    expect(CivtagError.hasCode(error, 'VALIDATION')).toBe(true);
    expect((error as CivtagError).details).toEqual({ field: 'dir' });
  });

  it('has nothing to catch up on with the file store, its one writer', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const caughtUp: number[] = [];
    session.on('caught-up', (revision) => caughtUp.push(revision));
    await session.apply({ type: 'push', value: 'a' });
    expect(await session.catchUp()).toBe(1);
    expect(caughtUp).toEqual([]);
    await session.close();
    await expect(session.catchUp()).rejects.toSatisfy((error) =>
      CivtagError.hasCode(error, 'SESSION_CLOSED'),
    );
  });

  it('gives the folder’s lease to its one writer while it holds the lock, and takes it with the lock', async () => {
    const dir = await temporaryFolder();
    const store = new FileSessionStore(dir, { lockCheckIntervalMs: 10 });
    const { dir: _, ...options } = listOptions(dir);
    const session = await openSession({ ...options, store });
    const lease = await store.tryLease();
    expect(lease?.held).toBe(true);
    const lost = new Promise<CivtagError>((resolve) => lease?.onLost(resolve));
    await unlink(path.join(dir, 'lock'));
    expect((await lost).code).toBe('SESSION_LOCKED');
    expect(lease?.held).toBe(false);
    expect(await store.tryLease()).toBeUndefined();
    await session.close();
  });

  it('ends the folder’s lease when the session closes', async () => {
    const dir = await temporaryFolder();
    const store = new FileSessionStore(dir);
    const { dir: _, ...options } = listOptions(dir);
    const session = await openSession({ ...options, store });
    const lease = await store.tryLease();
    expect(lease?.held).toBe(true);
    await session.close();
    expect(lease?.held).toBe(false);
  });
});
