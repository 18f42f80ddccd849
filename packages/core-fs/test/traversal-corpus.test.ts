import { mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveInsideRoot } from '../src/resolve-inside-root.js';
import { corpusPath, makeTemporaryFolder, removeTemporaryFolder } from './corpus.js';

const CANARY = 'CANARY-must-never-be-read';
let base: string;
let root: string;

async function loadPayloads(): Promise<string[]> {
  const folder = corpusPath('traversal');
  const payloads: string[] = [];
  for (const name of (await readdir(folder)).filter((file) => file.endsWith('.txt'))) {
    const lines = (await readFile(path.join(folder, name), 'latin1')).split(/\r?\n/);
    payloads.push(...lines.filter((line) => line !== ''));
  }
  return payloads;
}

/** The raw payload and, where it decodes, its URL-decoded form (once and twice). */
function variantsOf(payload: string): string[] {
  const variants = [payload.replaceAll('{FILE}', 'canary.txt')];
  let current = variants[0]!;
  for (let round = 0; round < 2; round += 1) {
    try {
      current = decodeURIComponent(current);
      variants.push(current);
    } catch {
      break;
    }
  }
  return variants;
}

beforeAll(async () => {
  base = await makeTemporaryFolder();
  // A canary at every level above the root, and in a sibling whose name shares the prefix.
  root = path.join(base, 'a', 'b', 'c', 'd', 'root');
  await mkdir(root, { recursive: true });
  await mkdir(path.join(base, 'a', 'b', 'c', 'd', 'root-evil'));
  for (const folder of ['', 'a', 'a/b', 'a/b/c', 'a/b/c/d', 'a/b/c/d/root-evil']) {
    await writeFile(path.join(base, folder, 'canary.txt'), CANARY);
  }
  await mkdir(path.join(root, 'etc'));
  await writeFile(path.join(root, 'etc', 'passwd'), 'inside');
});

afterAll(() => removeTemporaryFolder(base));

it('keeps every traversal payload of the corpus inside the root, raw and URL-decoded', async () => {
  const payloads = await loadPayloads();
  expect(payloads.length).toBeGreaterThan(1800);
  const realRoot = await realpath(root);
  let refused = 0;
  let accepted = 0;
  for (const payload of payloads) {
    for (const variant of variantsOf(payload)) {
      let resolved: string;
      try {
        resolved = await resolveInsideRoot(root, variant);
      } catch (error) {
        expect(CivtagError.hasCode(error, 'PATH_OUTSIDE_ROOT'), String(error)).toBe(true);
        refused += 1;
        continue;
      }
      accepted += 1;
      expect(resolved === root || resolved.startsWith(root + path.sep), variant).toBe(true);
      const content = await readFile(resolved, 'utf8').catch(() => undefined);
      expect(content, variant).not.toBe(CANARY);
      const realParent = await realpath(path.dirname(resolved)).catch(() => realRoot);
      expect(realParent === realRoot || realParent.startsWith(realRoot + path.sep), variant).toBe(
        true,
      );
    }
  }
  expect(refused).toBeGreaterThan(1000);
  expect(accepted).toBeGreaterThan(0);
});
