// The one place that knows where the test corpus lives: test/corpus at the repository root.
import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file (tooling/test-corpus). */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The corpus folder of the repository. */
export const corpusRoot = path.join(repositoryRoot, 'test', 'corpus');

export function corpusPath(...names) {
  const target = path.join(corpusRoot, ...names);
  const relative = path.relative(corpusRoot, target);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`"${names.join('/')}" is not inside the test corpus (${corpusRoot}).`);
  }
  if (!existsSync(target)) {
    throw new Error(
      `The test corpus has no "${relative || '.'}": expected ${target} (test/corpus/README.md lists what is there).`,
    );
  }
  return target;
}

export async function copyCorpus(name, destination) {
  const target = path.join(destination, path.basename(name));
  await cp(corpusPath(name), target, { recursive: true });
  return target;
}
