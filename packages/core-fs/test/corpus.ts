import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's place in it. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The shared corpus of real files beside the repository; a test fails when it is missing. */
export function corpusPath(...names: string[]): string {
  const corpus = path.resolve(repositoryRoot, '../shared/corpus');
  if (!existsSync(corpus)) {
    throw new Error(
      `The test corpus is missing: expected it at ${corpus} (a folder "shared/corpus" beside the repository).`,
    );
  }
  return path.join(corpus, ...names);
}

/** A fresh temporary folder; remove it with {@link removeTemporaryFolder}. */
export function makeTemporaryFolder(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'civtag-core-fs-'));
}

export function removeTemporaryFolder(folder: string): Promise<void> {
  return rm(folder, { recursive: true, force: true });
}

/** Copies one corpus folder into `destination` (tests never touch the corpus itself). */
export async function copyCorpusFolder(name: string, destination: string): Promise<string> {
  const target = path.join(destination, name);
  await cp(corpusPath(name), target, { recursive: true });
  return target;
}
