import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { copyCorpus, corpusPath, repositoryRoot } from '@civtag/test-corpus';

export { corpusPath, repositoryRoot };

/** A fresh temporary folder; remove it with {@link removeTemporaryFolder}. */
export function makeTemporaryFolder(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'civtag-core-fs-'));
}

export function removeTemporaryFolder(folder: string): Promise<void> {
  return rm(folder, { recursive: true, force: true });
}

/** Copies one corpus folder into `destination` (tests never touch the corpus itself). */
export function copyCorpusFolder(name: string, destination: string): Promise<string> {
  return copyCorpus(name, destination);
}
