import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { type AtomicFileSystem, nodeAtomicFileSystem } from './atomic-file-system.js';
import { isTemporaryFileName } from './temporary-file-name.js';
import { writeFileAtomic, writeFileAtomicUsing } from './write-file-atomic.js';

let folder: string;
let target: string;
const OLD = Buffer.from('old content, kept byte for byte \u00e9\n');
const NEW = Buffer.alloc(256 * 1024, 'n');

beforeEach(async () => {
  folder = await makeTemporaryFolder();
  target = path.join(folder, 'caption.txt');
});

afterEach(() => removeTemporaryFolder(folder));

/** The real file system with one step replaced by a failure (after doing part of the work). */
function failingAt(step: keyof AtomicFileSystem, injected: Error): AtomicFileSystem {
  const broken: AtomicFileSystem = { ...nodeAtomicFileSystem };
  if (step === 'writeAll') {
    broken.writeAll = async (file, data) => {
      await nodeAtomicFileSystem.writeAll(file, Buffer.from(data).subarray(0, 1000));
      throw injected;
    };
  } else {
    Object.assign(broken, { [step]: () => Promise.reject(injected) });
  }
  return broken;
}

function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected fault`), { code });
}

describe('writeFileAtomic', () => {
  it('creates a file and replaces it, leaving nothing else in the folder', async () => {
    await writeFileAtomic(target, 'first');
    expect(await readFile(target, 'utf8')).toBe('first');
    await writeFileAtomic(target, NEW, { fsync: false });
    expect(await readFile(target)).toEqual(NEW);
    expect(await readdir(folder)).toEqual(['caption.txt']);
  });

  it('keeps the permission bits of the file it replaces', async () => {
    await writeFile(target, OLD);
    for (const mode of [0o600, 0o664, 0o640]) {
      await chmod(target, mode);
      await writeFileAtomic(target, 'new');
      expect((await stat(target)).mode & 0o777).toBe(mode);
    }
  });

  it('reports the size and mtime that a later stat of the path finds, new or replaced', async () => {
    for (const [data, fsync] of [
      ['first', true],
      [NEW, false],
      ['third', true],
    ] as const) {
      const written = await writeFileAtomic(target, data, { fsync });
      const stats = await stat(target);
      expect(`${written.size}:${written.mtimeMs}`).toBe(`${stats.size}:${stats.mtimeMs}`);
      expect(written.mode).toBe(stats.mode & 0o7777);
    }
  });

  it('reports the permission bits it kept', async () => {
    await writeFile(target, OLD);
    await chmod(target, 0o600);
    expect((await writeFileAtomic(target, 'new', { fsync: false })).mode).toBe(0o600);
  });

  it('gives the new file the permission bits the caller says the old one has, without looking', async () => {
    await writeFile(target, OLD);
    await chmod(target, 0o600);
    let lookedUp = 0;
    const counting: AtomicFileSystem = {
      ...nodeAtomicFileSystem,
      modeOf(file) {
        lookedUp += 1;
        return nodeAtomicFileSystem.modeOf(file);
      },
    };
    const written = await writeFileAtomicUsing(counting, target, 'new', {
      fsync: false,
      replacedMode: 0o640,
    });
    expect(lookedUp).toBe(0);
    expect(written.mode).toBe(0o640);
    expect((await stat(target)).mode & 0o777).toBe(0o640);
    await writeFileAtomicUsing(counting, target, 'newer', { fsync: false });
    expect(lookedUp).toBe(1);
    expect((await stat(target)).mode & 0o777).toBe(0o640);
  });

  it.each([
    ['stat', 'modeOf'],
    ['open', 'openExclusive'],
    ['write', 'writeAll'],
    ['fstat', 'statFile'],
    ['fsync', 'syncFile'],
    ['close', 'closeFile'],
    ['rename', 'rename'],
    ['folder fsync', 'syncDirectory'],
  ] as const)(
    'leaves the old file byte-identical and no temporary file when %s fails',
    async (step, name) => {
      await writeFile(target, OLD);
      const injected = systemError('EIO');
      const error = await writeFileAtomicUsing(failingAt(name, injected), target, NEW).catch(
        (caught: unknown) => caught,
      );
      expect(CivtagError.hasCode(error, 'IO_ERROR')).toBe(true);
      expect((error as CivtagError).cause).toBe(injected);
      expect((error as CivtagError).details).toMatchObject({
        path: target,
        step,
        systemCode: 'EIO',
      });
      expect((error as CivtagError).message).toContain(target);
      expect(await readFile(target)).toEqual(OLD);
      expect(await readdir(folder)).toEqual(['caption.txt']);
    },
  );

  it('leaves the old file and its mode, and no temporary file, when chmod fails', async () => {
    await writeFile(target, OLD);
    await chmod(target, 0o600);
    const error = await writeFileAtomicUsing(
      failingAt('setMode', systemError('EPERM')),
      target,
      NEW,
    ).catch((caught: unknown) => caught);
    expect((error as CivtagError).details).toMatchObject({ step: 'chmod', systemCode: 'EPERM' });
    expect(await readFile(target)).toEqual(OLD);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(await readdir(folder)).toEqual(['caption.txt']);
  });

  it.each([
    ['open', 'openExclusive'],
    ['write', 'writeAll'],
    ['fstat', 'statFile'],
    ['rename', 'rename'],
    ['folder fsync', 'syncDirectory'],
  ] as const)('leaves no file at all when %s fails on a new file', async (_step, name) => {
    const error = await writeFileAtomicUsing(
      failingAt(name, systemError('ENOSPC')),
      target,
      NEW,
    ).catch((caught: unknown) => caught);
    expect(CivtagError.hasCode(error, 'DISK_FULL')).toBe(true);
    expect(await readdir(folder)).toEqual([]);
  });

  it('closes every file it opens, whichever step fails', async () => {
    const open = new Set<number>();
    const steps = [
      'writeAll',
      'statFile',
      'setMode',
      'syncFile',
      'rename',
      'syncDirectory',
    ] as const;
    for (const step of [...steps, undefined]) {
      const base = step === undefined ? nodeAtomicFileSystem : failingAt(step, systemError('EIO'));
      const tracking: AtomicFileSystem = {
        ...base,
        async openExclusive(file, mode) {
          const opened = await base.openExclusive(file, mode);
          open.add(opened);
          return opened;
        },
        async closeFile(file) {
          await base.closeFile(file);
          open.delete(file);
        },
      };
      await writeFile(target, OLD);
      await chmod(target, 0o600);
      await writeFileAtomicUsing(tracking, target, NEW).catch(() => undefined);
      expect(open.size).toBe(0);
    }
    expect(await readFile(target)).toEqual(NEW);
  });

  it('runs concurrent writes to one path one after another, in call order', async () => {
    const renamed: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const recording: AtomicFileSystem = {
      ...nodeAtomicFileSystem,
      async openExclusive(file, mode) {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        return nodeAtomicFileSystem.openExclusive(file, mode);
      },
      async rename(from, to) {
        await nodeAtomicFileSystem.rename(from, to);
        renamed.push(await readFile(to, 'utf8'));
        inFlight -= 1;
      },
    };
    const contents = Array.from({ length: 20 }, (_, index) => `version ${index}`);
    await Promise.all(
      contents.map((content) => writeFileAtomicUsing(recording, target, content, { fsync: false })),
    );
    expect(renamed).toEqual(contents);
    expect(mostInFlight).toBe(1);
    expect(await readFile(target, 'utf8')).toBe('version 19');
    expect(await readdir(folder)).toEqual(['caption.txt']);
  });

  it('goes on with later writes after one fails', async () => {
    const failing = writeFileAtomicUsing(failingAt('rename', systemError('EIO')), target, 'lost');
    const succeeding = writeFileAtomic(target, 'kept');
    await expect(failing).rejects.toThrow(/rename step failed/);
    await succeeding;
    expect(await readFile(target, 'utf8')).toBe('kept');
  });

  describe('with a temporary folder', () => {
    let scratch: string;
    beforeEach(async () => {
      scratch = path.join(folder, '.scratch');
      await mkdir(scratch);
    });

    /** The real file system, recording the paths it creates and renames. */
    function recordingPaths() {
      const seen: { opened: string[]; linked: string[]; renamed: [string, string][] } = {
        opened: [],
        linked: [],
        renamed: [],
      };
      const fileSystem: AtomicFileSystem = {
        ...nodeAtomicFileSystem,
        openExclusive(file, mode) {
          seen.opened.push(file);
          return nodeAtomicFileSystem.openExclusive(file, mode);
        },
        link(from, to) {
          seen.linked.push(to);
          return nodeAtomicFileSystem.link(from, to);
        },
        rename(from, to) {
          seen.renamed.push([from, to]);
          return nodeAtomicFileSystem.rename(from, to);
        },
      };
      return { seen, fileSystem };
    }

    it('writes the temporary file (and the second name of the old one) there, then renames it into place', async () => {
      await writeFile(target, OLD);
      await chmod(target, 0o640);
      const { seen, fileSystem } = recordingPaths();
      for (const fsync of [false, true]) {
        const written = await writeFileAtomicUsing(fileSystem, target, NEW, {
          fsync,
          temporaryFolder: scratch,
        });
        const stats = await stat(target);
        expect(`${written.size}:${written.mtimeMs}`).toBe(`${stats.size}:${stats.mtimeMs}`);
      }
      expect(await readFile(target)).toEqual(NEW);
      expect((await stat(target)).mode & 0o777).toBe(0o640);
      expect(seen.opened).toHaveLength(2);
      expect(seen.linked).toHaveLength(1);
      for (const file of [...seen.opened, ...seen.linked]) {
        expect(path.dirname(file)).toBe(scratch);
        expect(isTemporaryFileName(path.basename(file))).toBe(true);
      }
      expect(seen.renamed.map(([, to]) => to)).toEqual([target, target]);
      expect((await readdir(folder)).sort()).toEqual(['.scratch', 'caption.txt']);
      expect(await readdir(scratch)).toEqual([]);
    });

    it.each([
      ['write', 'writeAll'],
      ['rename', 'rename'],
      ['folder fsync', 'syncDirectory'],
    ] as const)(
      'leaves the old file and nothing in either folder when %s fails',
      async (_step, name) => {
        await writeFile(target, OLD);
        const error = await writeFileAtomicUsing(failingAt(name, systemError('EIO')), target, NEW, {
          temporaryFolder: scratch,
        }).catch((caught: unknown) => caught);
        expect(CivtagError.hasCode(error, 'IO_ERROR')).toBe(true);
        expect(await readFile(target)).toEqual(OLD);
        expect((await readdir(folder)).sort()).toEqual(['.scratch', 'caption.txt']);
        expect(await readdir(scratch)).toEqual([]);
      },
    );

    it('fails at the open step, changing nothing, when the folder does not exist', async () => {
      await writeFile(target, OLD);
      const error = await writeFileAtomic(target, NEW, {
        temporaryFolder: path.join(folder, 'missing'),
      }).catch((caught: unknown) => caught);
      expect((error as CivtagError).details).toMatchObject({ step: 'open', systemCode: 'ENOENT' });
      expect(await readFile(target)).toEqual(OLD);
    });
  });

  it('names the folder when it does not exist', async () => {
    const missing = path.join(folder, 'missing', 'caption.txt');
    const error = await writeFileAtomic(missing, 'x').catch((caught: unknown) => caught);
    expect(CivtagError.hasCode(error, 'IO_ERROR')).toBe(true);
    expect((error as CivtagError).message).toContain(missing);
  });
});

describe('replaceIf', () => {
  it('leaves a file that changed since the caller saw it, removes its temporary file, and says so', async () => {
    const folder = await makeTemporaryFolder();
    try {
      const target = path.join(folder, 'caption.txt');
      const first = await writeFileAtomic(target, 'sky, cloud', { fsync: false });
      const seen = `${first.size}:${first.mtimeMs}`;
      // Someone else writes the file after the caller last saw it.
      await writeFile(target, 'sky, cloud, edited elsewhere');
      const stampOf = (current: { size: number; mtimeMs: number } | undefined) =>
        current === undefined ? 'none' : `${current.size}:${current.mtimeMs}`;
      const second = await writeFileAtomic(target, 'sky, cloud, sun', {
        fsync: false,
        replaceIf: (current) => stampOf(current) === seen,
      });
      expect(second.replaced).toBe(false);
      expect(await readFile(target, 'utf8')).toBe('sky, cloud, edited elsewhere');
      expect(await readdir(folder)).toEqual(['caption.txt']);

      const now = await stat(target);
      const third = await writeFileAtomic(target, 'sky, cloud, sun', {
        fsync: false,
        replaceIf: (current) => stampOf(current) === `${now.size}:${now.mtimeMs}`,
      });
      expect(third.replaced).toBe(true);
      expect(await readFile(target, 'utf8')).toBe('sky, cloud, sun');
    } finally {
      await removeTemporaryFolder(folder);
    }
  });
});
