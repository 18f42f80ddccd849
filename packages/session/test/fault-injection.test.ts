import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSession } from '../src/index.js';
import { listOptions } from './list-model.js';
import { temporaryFolder } from './temporary-folder.js';

/**
 * Faults a real disk produces only rarely (EIO, EROFS under an open file) are injected here: `rename` (both APIs)
 * and `fsync` (of the callback API, by the path the descriptor was opened on) through module
 * mocks, file-handle calls through their shared prototype. Everything else is real. The session
 * writes its journal through file handles and its snapshot through core-fs's atomic write, which
 * works on plain descriptors.
 */
const faults = vi.hoisted(() => ({
  rename: undefined as ((from: string, to: string) => boolean) | undefined,
  fsync: undefined as ((path: string) => boolean) | undefined,
  opened: new Map<number, string>(),
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const rename = async (from: string, to: string) => {
    if (faults.rename?.(from, to) === true) throw systemError('EIO', 'rename');
    return actual.rename(from, to);
  };
  return { ...actual, rename, default: { ...actual, rename } };
});

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  type Done = (error: NodeJS.ErrnoException | null, ...values: unknown[]) => void;
  const rename = (from: string, to: string, done: Done) => {
    if (faults.rename?.(String(from), String(to)) === true) {
      process.nextTick(done, systemError('EIO', 'rename'));
      return;
    }
    actual.rename(from, to, done);
  };
  const open = (file: string, ...rest: unknown[]) => {
    const done = rest.pop() as Done;
    (actual.open as (...args: unknown[]) => void)(
      file,
      ...rest,
      (error: Error | null, fd: number) => {
        if (error === null) faults.opened.set(fd, String(file));
        done(error, fd);
      },
    );
  };
  const fsync = (fd: number, done: Done) => {
    if (faults.fsync?.(faults.opened.get(fd) ?? '') === true) {
      process.nextTick(done, systemError('EIO', 'fsync'));
      return;
    }
    actual.fsync(fd, done);
  };
  const mocked = { rename, open, fsync };
  return { ...actual, ...mocked, default: { ...actual, ...mocked } };
});

function systemError(code: string, call: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: i/o error, ${call}`);
  error.code = code;
  return error;
}

async function fileHandlePrototype() {
  const handle = await open(import.meta.filename ?? new URL(import.meta.url).pathname, 'r');
  const prototype = Object.getPrototypeOf(handle);
  await handle.close();
  return prototype;
}

afterEach(() => {
  faults.rename = undefined;
  faults.fsync = undefined;
  vi.restoreAllMocks();
});

function isIoError(error: unknown): boolean {
  return CivtagError.hasCode(error, 'IO_ERROR');
}

async function journalText(dir: string): Promise<string> {
  return readFile(path.join(dir, 'journal.jsonl'), 'utf8');
}

describe('a failing disk during apply', () => {
  it('surfaces a failed write, changes nothing, and stays usable', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'kept' });
    const prototype = await fileHandlePrototype();
    // A full disk is tested on a real one (full-disk.test.ts); this is a disk that fails.
    vi.spyOn(prototype, 'write').mockRejectedValueOnce(systemError('EIO', 'write'));
    await expect(session.apply({ type: 'push', value: 'lost' })).rejects.toSatisfy(isIoError);
    expect(session.state.items).toEqual(['kept']);
    expect(session.revision).toBe(1);
    await session.apply({ type: 'push', value: 'next' });
    expect((await journalText(dir)).trimEnd().split('\n')).toHaveLength(2);
    await session.close();
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['kept', 'next']);
    await reopened.close();
  });

  it('cuts a written line back off when its fsync fails, so the next line starts clean', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'kept' });
    const before = await journalText(dir);
    const prototype = await fileHandlePrototype();
    vi.spyOn(prototype, 'datasync').mockRejectedValueOnce(systemError('EIO', 'fdatasync'));
    await expect(session.apply({ type: 'push', value: 'lost' })).rejects.toSatisfy(isIoError);
    expect(await journalText(dir)).toBe(before);
    expect(session.state.items).toEqual(['kept']);
    const next = await session.apply({ type: 'push', value: 'next' });
    expect(next.revision).toBe(2);
    await session.close();
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['kept', 'next']);
    await reopened.close();
  });

  it('refuses further applies when the partial line cannot be cut off, then closes cleanly', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'kept' });
    const prototype = await fileHandlePrototype();
    vi.spyOn(prototype, 'datasync').mockRejectedValueOnce(systemError('EIO', 'fdatasync'));
    vi.spyOn(prototype, 'truncate').mockRejectedValueOnce(systemError('EIO', 'ftruncate'));
    await expect(session.apply({ type: 'push', value: 'lost' })).rejects.toSatisfy(isIoError);
    const refused = await session.apply({ type: 'push', value: 'x' }).catch((error) => error);
    expect(isIoError(refused)).toBe(true);
    expect((refused as Error).message).toContain('accepts no more changes');
    vi.restoreAllMocks();
    // Closing writes a snapshot of the acknowledged state and sets the damaged journal aside.
    await session.close();
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['kept']);
    await reopened.apply({ type: 'push', value: 'after' });
    await reopened.close();
  });
});

describe('a disk that turns read-only under an open journal', () => {
  // A file system cannot be remounted read-only while a file on it is open for writing (the
  // session's journal), so this one fault is injected: the kernel makes a disk read-only by
  // itself after an error (ext4's errors=remount-ro), and every write then fails with EROFS.
  it('refuses the apply with NOT_WRITABLE, changes nothing, and applies again once the disk is writable', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'kept' });
    const before = await journalText(dir);
    const prototype = await fileHandlePrototype();
    vi.spyOn(prototype, 'write').mockRejectedValueOnce(systemError('EROFS', 'write'));
    // Cutting the file back would fail on the read-only disk too.
    vi.spyOn(prototype, 'truncate').mockRejectedValueOnce(systemError('EROFS', 'ftruncate'));
    const refused = await session.apply({ type: 'push', value: 'lost' }).catch((error) => error);
    expect(CivtagError.hasCode(refused, 'NOT_WRITABLE')).toBe(true);
    expect((refused as CivtagError).details).toMatchObject({
      path: path.join(dir, 'journal.jsonl'),
      systemCode: 'EROFS',
    });
    expect((refused as Error).message).toContain('make it writable');
    expect(session.state.items).toEqual(['kept']);
    expect(await journalText(dir)).toBe(before);
    vi.restoreAllMocks();
    expect((await session.apply({ type: 'push', value: 'next' })).revision).toBe(2);
    await session.close();
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['kept', 'next']);
    await reopened.close();
  });
});

describe('a failing disk during compaction', () => {
  it('surfaces a failed snapshot rename, keeps the old snapshot and the journal, stays usable', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' });
    await session.compact();
    await session.apply({ type: 'push', value: 'b' });
    const snapshotBefore = await readFile(path.join(dir, 'session.json'), 'utf8');
    faults.rename = (from, to) => to.endsWith('session.json') && from.includes('civtag-tmp');
    await expect(session.compact()).rejects.toSatisfy(isIoError);
    faults.rename = undefined;
    expect(await readFile(path.join(dir, 'session.json'), 'utf8')).toBe(snapshotBefore);
    await session.apply({ type: 'push', value: 'c' });
    expect(session.state.items).toEqual(['a', 'b', 'c']);
    await session.close();
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['a', 'b', 'c']);
    await reopened.close();
  });

  it('surfaces a failed snapshot fsync and loses nothing', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' });
    faults.fsync = (file) => file.includes('session.json') && file.includes('civtag-tmp');
    await expect(session.compact()).rejects.toSatisfy(isIoError);
    faults.fsync = undefined;
    await expect(stat(path.join(dir, 'session.json'))).rejects.toThrow(/ENOENT/);
    await session.apply({ type: 'push', value: 'b' });
    await session.close();
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['a', 'b']);
    await reopened.close();
  });

  it('stays usable when the journal cannot be set aside after the snapshot is written', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' });
    faults.rename = (from) => from.endsWith('journal.jsonl');
    await expect(session.compact()).rejects.toSatisfy(isIoError);
    faults.rename = undefined;
    // The snapshot holds revision 1, and the journal still holds it too: replay skips it.
    expect(JSON.parse(await readFile(path.join(dir, 'session.json'), 'utf8')).revision).toBe(1);
    await session.apply({ type: 'push', value: 'b' });
    await session.close();
    expect(await journalText(dir)).toBe('');
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['a', 'b']);
    await reopened.close();
  });

  it('reports a failed automatic compaction as an event, while the apply still succeeds', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir, { journalBound: 2 }));
    const failed = new Promise<CivtagError>((resolve) => session.on('compaction-failed', resolve));
    faults.rename = (from, to) => to.endsWith('session.json') && from.includes('civtag-tmp');
    await session.apply({ type: 'push', value: 'a' });
    const outcome = await session.apply({ type: 'push', value: 'b' });
    expect(outcome.revision).toBe(2);
    expect((await failed).code).toBe('IO_ERROR');
    faults.rename = undefined;
    await session.apply({ type: 'push', value: 'c' });
    await session.close();
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['a', 'b', 'c']);
    await reopened.close();
  });

  it('closes and releases the lock when compaction on close fails, keeping every entry', async () => {
    const dir = await temporaryFolder();
    const session = await openSession(listOptions(dir));
    await session.apply({ type: 'push', value: 'a' });
    faults.rename = (from, to) => to.endsWith('session.json') && from.includes('civtag-tmp');
    await expect(session.close()).rejects.toSatisfy(isIoError);
    faults.rename = undefined;
    await expect(stat(path.join(dir, 'lock'))).rejects.toThrow(/ENOENT/);
    await expect(session.apply({ type: 'push', value: 'x' })).rejects.toMatchObject({
      code: 'SESSION_CLOSED',
    });
    const reopened = await openSession(listOptions(dir));
    expect(reopened.state.items).toEqual(['a']);
    await reopened.close();
  });
});
