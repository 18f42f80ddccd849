import { mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { resolveInsideRoot } from './resolve-inside-root.js';

let base: string;
let root: string;

beforeEach(async () => {
  base = await makeTemporaryFolder();
  root = path.join(base, 'root');
  await mkdir(path.join(root, 'sub'), { recursive: true });
  await writeFile(path.join(root, 'sub', 'inside.txt'), 'inside');
  await mkdir(path.join(base, 'root-evil'));
  await writeFile(path.join(base, 'root-evil', 'canary.txt'), 'CANARY');
});

afterEach(() => removeTemporaryFolder(base));

async function expectRefused(relativePath: string): Promise<CivtagError> {
  const error = await resolveInsideRoot(root, relativePath).then(
    (resolved) => {
      throw new Error(`${JSON.stringify(relativePath)} was accepted as ${resolved}`);
    },
    (caught: unknown) => caught,
  );
  expect(CivtagError.hasCode(error, 'PATH_OUTSIDE_ROOT')).toBe(true);
  return error as CivtagError;
}

describe('resolveInsideRoot', () => {
  it('resolves plain relative paths, existing or not, inside the root', async () => {
    expect(await resolveInsideRoot(root, 'sub/inside.txt')).toBe(
      path.join(root, 'sub', 'inside.txt'),
    );
    expect(await resolveInsideRoot(root, 'sub\\inside.txt')).toBe(
      path.join(root, 'sub', 'inside.txt'),
    );
    expect(await resolveInsideRoot(root, './new/deeper/file.txt')).toBe(
      path.join(root, 'new', 'deeper', 'file.txt'),
    );
    expect(await resolveInsideRoot(root, '')).toBe(root);
    expect(await resolveInsideRoot(root, '.')).toBe(root);
    expect(await resolveInsideRoot(root, '%2e%2e/canary.txt')).toBe(
      path.join(root, '%2e%2e', 'canary.txt'),
    );
  });

  it.each([
    ['a parent folder', '../root-evil/canary.txt'],
    ['a ".." that would come back', 'sub/../../root/sub/inside.txt'],
    ['a ".." after a backslash', 'sub\\..\\..\\root-evil\\canary.txt'],
    ['an absolute path', '/etc/passwd'],
    ['a UNC path', '\\\\server\\share\\file'],
    ['a drive letter', 'C:\\Windows\\win.ini'],
    ['a drive-relative path', 'c:canary.txt'],
    ['a NUL byte', 'sub/inside.txt\0.png'],
  ])('refuses %s', async (_what, relativePath) => {
    const error = await expectRefused(relativePath);
    expect(error.message).toContain('refused');
  });

  it('refuses an absolute path even when it points inside the root', async () => {
    await expectRefused(path.join(root, 'sub', 'inside.txt'));
  });

  it('refuses a symlink to a folder outside, even one whose name shares the prefix', async () => {
    await symlink(path.join(base, 'root-evil'), path.join(root, 'evil'));
    await expectRefused('evil/canary.txt');
    await expectRefused('evil');
    await expectRefused('evil/not-yet-written.txt');
  });

  it('refuses a symlink to a file outside, and a dangling symlink that would create one', async () => {
    await symlink(path.join(base, 'root-evil', 'canary.txt'), path.join(root, 'canary-link'));
    await symlink(path.join(base, 'root-evil', 'missing.txt'), path.join(root, 'dangling'));
    await expectRefused('canary-link');
    await expectRefused('dangling');
    await expectRefused('dangling/child');
  });

  it('accepts symlinks that stay inside, and a root that is itself a symlink', async () => {
    await symlink(path.join(root, 'sub'), path.join(root, 'alias'));
    expect(await resolveInsideRoot(root, 'alias/inside.txt')).toBe(
      path.join(root, 'alias', 'inside.txt'),
    );
    await symlink(root, path.join(base, 'root-link'));
    const resolved = await resolveInsideRoot(path.join(base, 'root-link'), 'sub/inside.txt');
    expect(await readFile(resolved, 'utf8')).toBe('inside');
    expect(await realpath(resolved)).toBe(await realpath(path.join(root, 'sub', 'inside.txt')));
  });

  it('refuses everything under a root that does not exist', async () => {
    const error = await resolveInsideRoot(path.join(base, 'missing'), 'file.txt').catch(
      (caught) => caught,
    );
    expect(CivtagError.hasCode(error, 'PATH_OUTSIDE_ROOT')).toBe(true);
    expect(error.message).toContain('missing');
  });

  it('never gives a path outside the root, whatever the pieces of the path', async () => {
    await symlink(path.join(base, 'root-evil'), path.join(root, 'evil'));
    const piece = fc.constantFrom(
      '..',
      '.',
      'sub',
      'evil',
      'inside.txt',
      '/',
      '\\',
      '%2e%2e',
      'C:',
      '\0',
      '..\\',
      '...',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 8 }), async (pieces) => {
        const relativePath = pieces.join('');
        const resolved = await resolveInsideRoot(root, relativePath).catch((error: unknown) => {
          expect(CivtagError.hasCode(error, 'PATH_OUTSIDE_ROOT')).toBe(true);
          return undefined;
        });
        if (resolved === undefined) return;
        expect(resolved === root || resolved.startsWith(root + path.sep)).toBe(true);
        const real = await realpath(resolved).catch(() => undefined);
        if (real !== undefined) expect(real.startsWith(await realpath(root))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
