import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { openSession, readSessionState, type StateCodec } from '../src/index.js';
import { type ListState, listOptions } from './list-model.js';
import { temporaryFolder } from './temporary-folder.js';

/** Stores the list as one string joined by newlines; passes the plain form through. */
function joinedCodec(calls: { decoded: number }): StateCodec<ListState> {
  return {
    encode: (state) => ({ joined: state.items.join('\n'), count: state.items.length }),
    decode: (stored) => {
      calls.decoded += 1;
      const value = stored as { joined?: string; count?: number; items?: string[] };
      if (value.joined === undefined) return stored;
      if (value.count === 0) return { items: [] };
      const items = value.joined.split('\n');
      if (items.length !== value.count)
        throw new Error(`${items.length} items, ${value.count} said`);
      return { items };
    },
  };
}

describe('a state codec', () => {
  it('writes the encoded state, reads it back decoded, and hashes what it wrote', async () => {
    const dir = await temporaryFolder();
    const calls = { decoded: 0 };
    const options = listOptions(dir, { stateCodec: joinedCodec(calls) });
    const session = await openSession(options);
    await session.apply({ type: 'bulk', values: ['a', 'b', 'c'] });
    await session.close();
    const snapshot = JSON.parse(await readFile(path.join(dir, 'session.json'), 'utf8'));
    expect(snapshot.state).toEqual({ joined: 'a\nb\nc', count: 3 });

    // An intact snapshot of the current version is decoded and not validated again: a schema
    // that refuses everything does not stop it.
    const refuseAll = options.schema.check(z.refine(() => false, 'refused'));
    expect(refuseAll.safeParse({ items: ['a'] }).success).toBe(false);
    const reopened = await openSession({ ...options, schema: refuseAll });
    expect(reopened.state).toEqual({ items: ['a', 'b', 'c'] });
    expect(calls.decoded).toBe(1);
    await reopened.apply({ type: 'pop' });
    await reopened.close();

    const read = await readSessionState(options);
    expect(read).toEqual({ state: { items: ['a', 'b'] }, revision: 2 });
  });

  it('passes an older snapshot in the plain form through decode, migration and validation', async () => {
    const dir = await temporaryFolder();
    const plain = await openSession(listOptions(dir));
    await plain.apply({ type: 'push', value: 'old' });
    await plain.close();

    const calls = { decoded: 0 };
    const session = await openSession(
      listOptions(dir, {
        version: 2,
        migrations: { 1: (old) => ({ items: [...(old as ListState).items, 'migrated'] }) },
        stateCodec: joinedCodec(calls),
      }),
    );
    expect(session.state.items).toEqual(['old', 'migrated']);
    expect(calls.decoded).toBe(1);
    await session.close();
    const snapshot = JSON.parse(await readFile(path.join(dir, 'session.json'), 'utf8'));
    expect(snapshot).toMatchObject({ version: 2, state: { joined: 'old\nmigrated', count: 2 } });
  });

  it('reports a stored state that decode refuses as corrupt, naming the file', async () => {
    const dir = await temporaryFolder();
    const options = listOptions(dir, { stateCodec: joinedCodec({ decoded: 0 }) });
    const session = await openSession(options);
    await session.apply({ type: 'bulk', values: ['a', 'b'] });
    await session.close();
    const file = path.join(dir, 'session.json');
    const snapshot = JSON.parse(await readFile(file, 'utf8'));
    snapshot.state.count = 5;
    delete snapshot.stateSha256;
    delete snapshot.stateLength;
    await writeFile(file, JSON.stringify(snapshot));
    await expect(openSession(options)).rejects.toMatchObject({
      code: 'SESSION_CORRUPT',
      details: { file, field: 'state' },
      message: expect.stringMatching(/the state cannot be read: 2 items, 5 said/),
    });
  });
});
