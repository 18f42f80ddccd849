// Loads the BUILT civtag packages (their dist), turning "not built yet" or "does not export that"
// into a reason the table can show instead of a crash.
import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Thrown when a component is missing; its message goes into the table as "not measured: …". */
export class ComponentMissing extends Error {
  name = 'ComponentMissing';
}

/** Throws ComponentMissing naming the file when `relativePath` (from the repo root) is absent. */
export async function requireFile(relativePath, what) {
  try {
    await access(join(repositoryRoot, relativePath));
  } catch {
    throw new ComponentMissing(`${what} (${relativePath} is missing)`);
  }
  return join(repositoryRoot, relativePath);
}

async function importBuilt(folder, name, load, exports) {
  await requireFile(`${folder}/dist/index.js`, `${name} is not built`);
  let module;
  try {
    module = await load();
  } catch (error) {
    throw new ComponentMissing(`${name} does not load: ${error.message}`);
  }
  const absent = exports.filter((exported) => typeof module[exported] !== 'function');
  if (absent.length) throw new ComponentMissing(`${name} does not export ${absent.join(', ')}`);
  return module;
}

/** `@civtag/core-fs`, checked to export `exports`. */
export function loadCoreFs(exports = []) {
  return importBuilt(
    'packages/core-fs',
    '@civtag/core-fs',
    () => import('@civtag/core-fs'),
    exports,
  );
}

/** `@civtag/core`, checked to export `exports`. */
export function loadCore(exports = []) {
  return importBuilt('packages/core', '@civtag/core', () => import('@civtag/core'), exports);
}

/** `@civtag/autotag`, checked to export `exports`. */
export function loadAutotag(exports = []) {
  return importBuilt(
    'packages/autotag',
    '@civtag/autotag',
    () => import('@civtag/autotag'),
    exports,
  );
}

/** `@civtag/autotag/testing` (the generated taggers), checked to export `exports`. */
export async function loadAutotagTesting(exports = []) {
  await requireFile('packages/autotag/dist/testing.js', '@civtag/autotag/testing is not built');
  return importBuilt(
    'packages/autotag',
    '@civtag/autotag/testing',
    () => import('@civtag/autotag/testing'),
    exports,
  );
}
