import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { openSession } from '../src/index.js';
import { listOptions } from './list-model.js';
import { temporaryFolder } from './temporary-folder.js';

describe('compaction', () => {
  it('writes a snapshot and empties the journal on close, keeping the previous snapshot', async () => {
    const dir = await temporaryFolder();
    const first = await openSession(listOptions(dir));
    await first.apply({ type: 'push', value: 'a' });
    await first.close();
    const second = await openSession(listOptions(dir));
    await second.apply({ type: 'push', value: 'b' });
    await second.close();
    const snapshot = JSON.parse(await readFile(path.join(dir, 'session.json'), 'utf8'));
    expect(snapshot).toMatchObject({ version: 1, revision: 2, state: { items: ['a', 'b'] } });
    expect(typeof snapshot.savedAt).toBe('string');
    const previous = JSON.parse(await readFile(path.join(dir, 'session.json.prev'), 'utf8'));
    expect(previous).toMatchObject({ revision: 1, state: { items: ['a'] } });
    expect((await stat(path.join(dir, 'journal.jsonl'))).size).toBe(0);
    await expect(stat(path.join(dir, 'lock'))).rejects.toThrow(/ENOENT/);
  });

  it('compacts by itself when the journal passes its entry bound', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir, { journalBound: 5 }));
    for (let index = 0; index < 12; index += 1) {
      await session.apply({ type: 'push', value: String(index) });
    }
    await session.compact();
    const snapshot = JSON.parse(await readFile(path.join(dir, 'session.json'), 'utf8'));
    expect(snapshot.revision).toBe(12);
    const previous = JSON.parse(await readFile(path.join(dir, 'session.json.prev'), 'utf8'));
    expect(previous.revision).toBe(10);
    await session.close();
  });

  it('compacts by itself when the journal passes its byte bound', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir, { journalByteBound: 200 }));
    for (let index = 0; index < 4; index += 1) {
      await session.apply({ type: 'push', value: 'x'.repeat(100) });
    }
    await session.apply({ type: 'pop' });
    const snapshot = JSON.parse(await readFile(path.join(dir, 'session.json'), 'utf8'));
    expect(snapshot.revision).toBeGreaterThanOrEqual(2);
    await session.close();
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toHaveLength(3);
    await reopened.close();
  });

  it('keeps the state the same across compaction, replay and reopen', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir, { journalBound: 3 }));
    const expected: string[] = [];
    for (let index = 0; index < 20; index += 1) {
      if (index % 4 === 3) {
        await session.apply({ type: 'pop' });
        expected.pop();
      } else {
        await session.apply({ type: 'bulk', values: [`a${index}`, `b${index}`] });
        expected.push(`a${index}`, `b${index}`);
      }
    }
    expect(session.state.items).toEqual(expected);
    await session.close();
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(expected);
    expect(reopened.revision).toBe(20);
    await reopened.close();
  });

  it('refuses applies after close and answers a second close with the same promise', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const closing = session.close();
    expect(session.close()).toBe(closing);
    await closing;
    await expect(session.apply({ type: 'push', value: 'a' })).rejects.toMatchObject({
      code: 'SESSION_CLOSED',
    });
    await expect(session.compact()).rejects.toMatchObject({ code: 'SESSION_CLOSED' });
  });

  it('finishes the applies queued before close, and refuses those after', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    const queued = [
      session.apply({ type: 'push', value: 'a' }),
      session.apply({ type: 'push', value: 'b' }),
    ];
    const closing = session.close();
    const late = expect(session.apply({ type: 'push', value: 'late' })).rejects.toMatchObject({
      code: 'SESSION_CLOSED',
    });
    expect((await Promise.all(queued)).map((outcome) => outcome.revision)).toEqual([1, 2]);
    await late;
    await closing;
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['a', 'b']);
    await reopened.close();
  });

  it('serialises concurrent applies: none interleave or get lost', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir, { journalBound: 7 }));
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        session.apply({ type: 'push', value: String(index) }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.revision)).toEqual(
      Array.from({ length: 50 }, (_, index) => index + 1),
    );
    expect(session.state.items).toEqual(Array.from({ length: 50 }, (_, index) => String(index)));
    await session.close();
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toHaveLength(50);
    await reopened.close();
  });
});

describe('a snapshot read back', () => {
  async function snapshotWith(items: string[]): Promise<{ dir: string; text: string }> {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    for (const value of items) await session.apply({ type: 'push', value });
    await session.close();
    return { dir, text: await readFile(path.join(dir, 'session.json'), 'utf8') };
  }

  it('records where its state text is, and hashes that text as read', async () => {
    const { dir, text } = await snapshotWith(['a', 'b']);
    const snapshot = JSON.parse(text);
    const stateText = JSON.stringify(snapshot.state);
    expect(snapshot.stateLength).toBe(stateText.length);
    expect(text.startsWith(`{"stateLength":${stateText.length},`)).toBe(true);
    expect(text.endsWith(`,"state":${stateText}}`)).toBe(true);
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['a', 'b']);
    await reopened.close();
  });

  it('validates a state edited by hand, whether or not the edit kept its length', async () => {
    const { dir, text } = await snapshotWith(['a', 'b']);
    const file = path.join(dir, 'session.json');
    // Same length: the hash of the text as read no longer matches, so the state is validated.
    await writeFile(file, text.replace('"items":["a","b"]', '"items":["a","c"]'));
    const edited = await openSession(listOptions(dir));
    expect(edited.state.items).toEqual(['a', 'c']);
    await edited.close();

    const { dir: other, text: otherText } = await snapshotWith(['a', 'b']);
    await writeFile(
      path.join(other, 'session.json'),
      otherText.replace('"items":["a","b"]', '"items":["a",2]'),
    );
    await expect(openSession(listOptions(other))).rejects.toMatchObject({
      code: 'SESSION_CORRUPT',
    });
  });

  it('trusts a state in any script as written, and validates one whose bytes are not UTF-8', async () => {
    const items = ['ナース服', 'café', '🎨 art', 'plain'];
    const { dir, text } = await snapshotWith(items);
    // A schema that refuses everything shows whether the state was validated.
    const refuseAll = listOptions(dir).schema.check(z.refine(() => false, 'refused'));
    const trusted = await openSession({ ...listOptions(dir), schema: refuseAll });
    expect(trusted.state.items).toEqual(items);
    await trusted.close();

    // One byte of 'café' turned into one that is not UTF-8: the bytes no longer hash as
    // written, so the state is validated (and refused by this schema).
    const bytes = Buffer.from(text, 'utf8');
    const at = bytes.indexOf(Buffer.from('café', 'utf8')) + 3;
    bytes[at] = 0xff;
    await writeFile(path.join(dir, 'session.json'), bytes);
    await expect(openSession({ ...listOptions(dir), schema: refuseAll })).rejects.toMatchObject({
      code: 'SESSION_CORRUPT',
    });
  });

  it('trusts a snapshot whose state length comes later in the file, as civtag wrote it before', async () => {
    const { dir, text } = await snapshotWith(['ナース服', 'b']);
    const { state, stateLength, ...rest } = JSON.parse(text);
    const older = `${JSON.stringify({ ...rest, stateLength }).slice(0, -1)},"state":${JSON.stringify(state)}}`;
    expect(older.startsWith('{"stateLength"')).toBe(false);
    await writeFile(path.join(dir, 'session.json'), older);
    const refuseAll = listOptions(dir).schema.check(z.refine(() => false, 'refused'));
    const trusted = await openSession({ ...listOptions(dir), schema: refuseAll });
    expect(trusted.state.items).toEqual(['ナース服', 'b']);
    await trusted.close();
  });

  it('still trusts a snapshot written before the state length was recorded', async () => {
    const { dir, text } = await snapshotWith(['a']);
    const snapshot = JSON.parse(text);
    delete snapshot.stateLength;
    await writeFile(path.join(dir, 'session.json'), JSON.stringify(snapshot));
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['a']);
    await reopened.close();
  });
});
