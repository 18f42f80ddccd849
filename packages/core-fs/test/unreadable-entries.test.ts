import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scanImages } from '../src/scan-images.js';
import { buildScript } from './build-script.js';
import { corpusPath, makeTemporaryFolder, removeTemporaryFolder } from './corpus.js';

const NOBODY = 65534;
let folder: string;

beforeAll(async () => {
  folder = await makeTemporaryFolder();
});
afterAll(async () => {
  await chmod(path.join(folder, 'source', 'locked'), 0o755).catch(() => undefined);
  await removeTemporaryFolder(folder);
});

/**
 * Scans as a user who cannot read what was locked: this process itself, or, when it runs as
 * root (who reads everything), a child process running as `nobody`.
 */
async function scanAsUnprivilegedUser(
  source: string,
): Promise<Awaited<ReturnType<typeof scanImages>>> {
  if (process.getuid?.() !== 0) return scanImages(source, { recursive: true });
  const script = await buildScript(
    fileURLToPath(new URL('./fixtures/scan-folder.ts', import.meta.url)),
    folder,
  );
  const { stdout } = await promisify(execFile)(process.execPath, [script, source], {
    uid: NOBODY,
    gid: NOBODY,
  });
  return JSON.parse(stdout);
}

it('reports a folder and a file it may not read, and lists everything else', async () => {
  const source = path.join(folder, 'source');
  const image = corpusPath('pngsuite', 'basn2c08.png');
  await mkdir(path.join(source, 'locked'), { recursive: true });
  await mkdir(path.join(source, 'open'));
  await copyFile(image, path.join(source, 'open', 'a.png'));
  await copyFile(image, path.join(source, 'locked', 'hidden-from-us.png'));
  await copyFile(image, path.join(source, 'secret.png'));
  await chmod(path.join(source, 'secret.png'), 0o000);
  await chmod(path.join(source, 'locked'), 0o000);
  for (const readable of [folder, source, path.join(source, 'open')]) await chmod(readable, 0o755);
  await chmod(path.join(source, 'open', 'a.png'), 0o644);

  const { images, problems } = await scanAsUnprivilegedUser(source);
  expect(images.map((found) => found.relativePath)).toEqual(['open/a.png']);
  expect(problems.map((problem) => [path.relative(source, problem.path), problem.code])).toEqual([
    ['locked', 'IO_ERROR'],
    ['secret.png', 'IO_ERROR'],
  ]);
  expect(problems.every((problem) => /EACCES|permission denied/i.test(problem.message))).toBe(true);
});
