import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { openSession } from '../src/index.js';
import { listOptions } from './list-model.js';
import { temporaryFolder } from './temporary-folder.js';

/** A folder whose journal holds `count` pushes (`v1`…), left as a crash would leave it. */
async function journaledFolder(count: number): Promise<string> {
  const dir = await temporaryFolder();
  const session = await openSession(listOptions(dir));
  for (let index = 1; index <= count; index += 1) {
    await session.apply({ type: 'push', value: `v${index}` });
  }
  await crash(session, dir);
  return dir;
}

/** Frees the folder without compacting, as if the process had been killed. */
async function crash(session: { close(): Promise<void> }, dir: string): Promise<void> {
  const { unlink } = await import('node:fs/promises');
  await unlink(path.join(dir, 'lock'));
  await session.close().catch(() => undefined);
}

function corruptDetails(error: unknown) {
  expect(CivtagError.hasCode(error, 'SESSION_CORRUPT')).toBe(true);
  return (error as CivtagError).details;
}

describe('recovery on open', () => {
  it('drops a torn last line and appends cleanly after it', async () => {
    const dir = await journaledFolder(3);
    const journalPath = path.join(dir, 'journal.jsonl');
    await appendFile(journalPath, '{"rev":4,"entry":{"type":"pu');
    const session = await openSession(listOptions(dir));
    expect(session.state.items).toEqual(['v1', 'v2', 'v3']);
    await session.apply({ type: 'push', value: 'after' });
    const lines = (await readFile(journalPath, 'utf8')).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(/^\{"rev":4,"entry":\{"type":"push","value":"after"\}/);
    await crash(session, dir);
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['v1', 'v2', 'v3', 'after']);
    await reopened.close();
  });

  it('keeps a complete last line whose checksum fails aside, naming its byte offset', async () => {
    const dir = await journaledFolder(2);
    const journalPath = path.join(dir, 'journal.jsonl');
    const text = await readFile(journalPath, 'utf8');
    const damagedText = text.replace('"value":"v2"', '"value":"v9"');
    await writeFile(journalPath, damagedText);
    const offset = Buffer.byteLength(text.slice(0, text.indexOf('\n') + 1));
    const lastLine = damagedText.slice(text.indexOf('\n') + 1);

    const session = await openSession(listOptions(dir));
    expect(session.state.items).toEqual(['v1']);
    expect(session.revision).toBe(1);
    const asideFile = `${journalPath}.damaged-at-${offset}`;
    expect(session.warnings).toEqual([
      {
        code: 'JOURNAL_LINE_SET_ASIDE',
        message: expect.stringContaining(`line 2, at byte ${offset}`),
        details: { journal: journalPath, file: asideFile, offset, line: 2 },
      },
    ]);
    expect(session.warnings[0]?.message).toContain(asideFile);
    expect(await readFile(asideFile, 'utf8')).toBe(lastLine);
    // The journal was cut back to its good lines, and the next append starts on a clean line.
    expect(await readFile(journalPath, 'utf8')).toBe(text.slice(0, offset));
    await session.apply({ type: 'push', value: 'after' });
    await crash(session, dir);

    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['v1', 'after']);
    expect(reopened.warnings).toEqual([]);
    await reopened.close();
  });

  it('drops a line cut short without keeping it aside: no append was acknowledged', async () => {
    const dir = await journaledFolder(2);
    const journalPath = path.join(dir, 'journal.jsonl');
    await appendFile(journalPath, '{"rev":3,"entry":{"type":"push","value":"v3"}');
    const session = await openSession(listOptions(dir));
    expect(session.state.items).toEqual(['v1', 'v2']);
    expect(session.warnings).toEqual([]);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir)).filter((name) => name.includes('damaged'))).toEqual([]);
    await session.close();
  });

  it('refuses a damaged line in the middle, naming file, line and field, and changes nothing', async () => {
    const dir = await journaledFolder(3);
    const journalPath = path.join(dir, 'journal.jsonl');
    const damaged = (await readFile(journalPath, 'utf8')).replace('"value":"v2"', '"value":"v7"');
    await writeFile(journalPath, damaged);
    const error = await openSession(listOptions(dir)).catch((caught: unknown) => caught);
    expect(corruptDetails(error)).toEqual({ file: journalPath, line: 2, field: 'crc' });
    expect((error as Error).message).toContain('journal.jsonl line 2');
    expect(await readFile(journalPath, 'utf8')).toBe(damaged);
    // The refused open released the lock: a repaired folder opens.
    await expect(openSession(listOptions(dir))).rejects.toSatisfy((caught) =>
      CivtagError.hasCode(caught, 'SESSION_CORRUPT'),
    );
  });

  it('refuses a journal with a gap in its revisions', async () => {
    const dir = await journaledFolder(3);
    const journalPath = path.join(dir, 'journal.jsonl');
    const lines = (await readFile(journalPath, 'utf8')).split('\n');
    await writeFile(journalPath, [lines[0], lines[2], ''].join('\n'));
    const error = await openSession(listOptions(dir)).catch((caught: unknown) => caught);
    expect(corruptDetails(error)).toEqual({ file: journalPath, line: 2, field: 'rev' });
  });

  it('refuses a journal entry that no longer fits the entry schema, naming the field', async () => {
    const dir = await journaledFolder(2);
    const journalPath = path.join(dir, 'journal.jsonl');
    const stricter = z.discriminatedUnion('type', [
      z.object({ type: z.literal('push'), value: z.string().check(z.maxLength(1)) }),
      z.object({ type: z.literal('pop') }),
    ]);
    const options = { ...listOptions(dir), entrySchema: stricter } as unknown as ReturnType<
      typeof listOptions
    >;
    const error = await openSession(options).catch((caught: unknown) => caught);
    expect(corruptDetails(error)).toEqual({ file: journalPath, line: 1, field: 'entry.value' });
  });

  it('refuses a snapshot whose state fails the schema, naming the field, and keeps it', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' });
    await session.close();
    const snapshotPath = path.join(dir, 'session.json');
    const snapshot = JSON.parse(await readFile(snapshotPath, 'utf8'));
    snapshot.state.items[0] = 42;
    const damaged = JSON.stringify(snapshot);
    await writeFile(snapshotPath, damaged);
    const error = await openSession(listOptions(dir)).catch((caught: unknown) => caught);
    expect(corruptDetails(error)).toEqual({ file: snapshotPath, line: 1, field: 'state.items[0]' });
    expect(await readFile(snapshotPath, 'utf8')).toBe(damaged);
  });

  it('trusts a snapshot whose state hashes as written, and validates one that was changed', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' });
    await session.close();
    let validations = 0;
    const countingSchema = z.object({
      items: z.array(z.string()).check(
        z.refine(() => {
          validations += 1;
          return true;
        }),
      ),
    });
    const reopened = await openSession(listOptions(dir, { schema: countingSchema }));
    expect(reopened.state.items).toEqual(['a']);
    expect(validations).toBe(0);
    await reopened.close();

    // Edited by hand, valid but no longer what civtag wrote: validated again.
    const snapshotPath = path.join(dir, 'session.json');
    const snapshot = JSON.parse(await readFile(snapshotPath, 'utf8'));
    snapshot.state.items.push('typed by hand');
    await writeFile(snapshotPath, JSON.stringify(snapshot));
    const edited = await openSession(listOptions(dir, { schema: countingSchema }));
    expect(edited.state.items).toEqual(['a', 'typed by hand']);
    expect(validations).toBe(1);
    await edited.close();
  });

  it('validates a snapshot written under another state schema instead of trusting its hash', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a long value' });
    await session.close();
    // The same version, a tighter schema: the hash still matches, but it vouched for the old one.
    const shortItems = z.object({ items: z.array(z.string().check(z.maxLength(5))) });
    const error = await openSession(listOptions(dir, { schema: shortItems })).catch(
      (caught: unknown) => caught,
    );
    expect(corruptDetails(error)).toMatchObject({ field: 'state.items[0]' });
  });

  it('validates a snapshot once under a changed schema, then writes it so the next open trusts it', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' });
    await session.close();
    const snapshotPath = path.join(dir, 'session.json');
    const before = JSON.parse(await readFile(snapshotPath, 'utf8'));
    expect(before.schemaSha256).toMatch(/^[0-9a-f]{64}$/);

    let validations = 0;
    const widened = z.object({
      items: z.array(z.string()).check(
        z.refine(() => {
          validations += 1;
          return true;
        }),
      ),
      note: z.optional(z.string()),
    });
    const reopened = await openSession(listOptions(dir, { schema: widened }));
    expect(reopened.state.items).toEqual(['a']);
    expect(validations).toBe(1);
    await reopened.close();
    const after = JSON.parse(await readFile(snapshotPath, 'utf8'));
    expect(after.schemaSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(after.schemaSha256).not.toBe(before.schemaSha256);

    const again = await openSession(listOptions(dir, { schema: widened }));
    expect(validations).toBe(1);
    await again.close();
  });

  it('validates a snapshot written before schemas were recorded, once', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' });
    await session.close();
    const snapshotPath = path.join(dir, 'session.json');
    const text = await readFile(snapshotPath, 'utf8');
    const older = text.replace(/"schemaSha256":"[0-9a-f]{64}",/, '');
    expect(older).not.toBe(text);
    await writeFile(snapshotPath, older);
    let validations = 0;
    // The same shape (a refinement is not part of the fingerprint), counting validations.
    const counting = z.object({
      items: z.array(z.string()).check(
        z.refine(() => {
          validations += 1;
          return true;
        }),
      ),
    });
    const reopened = await openSession(listOptions(dir, { schema: counting }));
    expect(validations).toBe(1);
    await reopened.close();
    const again = await openSession(listOptions(dir, { schema: counting }));
    expect(again.state.items).toEqual(['a']);
    expect(validations).toBe(1);
    await again.close();
  });

  it('refuses a snapshot that is not JSON, naming the line', async () => {
    const dir = await temporaryFolder();
    const snapshotPath = path.join(dir, 'session.json');
    await writeFile(snapshotPath, '{\n"version": 1,\n"revision": oops\n}');
    const error = await openSession(listOptions(dir)).catch((caught: unknown) => caught);
    expect(corruptDetails(error)).toEqual({ file: snapshotPath, line: 3, field: '' });
  });

  it('refuses a journal that does not continue the snapshot (the snapshot was lost)', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir, { journalBound: 2 }));
    for (const value of ['a', 'b', 'c']) await session.apply({ type: 'push', value });
    await crash(session, dir);
    const { unlink } = await import('node:fs/promises');
    await unlink(path.join(dir, 'session.json'));
    const error = await openSession(listOptions(dir)).catch((caught: unknown) => caught);
    expect(corruptDetails(error)).toMatchObject({ line: 1, field: 'rev' });
  });
});

describe('migrations', () => {
  it('migrates a snapshot of an older version and writes the new version at once', async () => {
    const dir = await temporaryFolder();
    const snapshotPath = path.join(dir, 'session.json');
    const version1 = { version: 1, revision: 4, state: { names: 'a,b' }, keys: [], savedAt: '' };
    await writeFile(snapshotPath, JSON.stringify(version1));
    const session = await openSession(
      listOptions(dir, {
        version: 2,
        migrations: {
          1: (old) => ({ items: String((old as { names: string }).names).split(',') }),
        },
      }),
    );
    expect(session.state).toEqual({ items: ['a', 'b'] });
    expect(session.revision).toBe(4);
    const written = JSON.parse(await readFile(snapshotPath, 'utf8'));
    expect(written).toMatchObject({ version: 2, revision: 4, state: { items: ['a', 'b'] } });
    await session.close();
  });

  it('refuses a snapshot with no migration to the current version', async () => {
    const dir = await temporaryFolder();
    const snapshotPath = path.join(dir, 'session.json');
    const old = { version: 1, revision: 0, state: { items: [] }, keys: [], savedAt: '' };
    await writeFile(snapshotPath, JSON.stringify(old));
    const error = await openSession(
      listOptions(dir, { version: 3, migrations: { 1: (x) => x } }),
    ).catch((caught: unknown) => caught);
    expect(corruptDetails(error)).toEqual({ file: snapshotPath, line: 1, field: 'version' });
    expect((error as Error).message).toContain('no migration from version 2');
  });

  it('refuses a snapshot written by a newer version', async () => {
    const dir = await temporaryFolder();
    const snapshotPath = path.join(dir, 'session.json');
    const newer = { version: 5, revision: 0, state: { items: [] }, keys: [], savedAt: '' };
    await writeFile(snapshotPath, JSON.stringify(newer));
    const error = await openSession(listOptions(dir)).catch((caught: unknown) => caught);
    expect(corruptDetails(error)).toMatchObject({ field: 'version' });
  });
});
