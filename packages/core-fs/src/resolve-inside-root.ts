import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { describeError, PathOutsideRootError, systemErrorCode } from './errors.js';

const DRIVE_LETTER = /^[A-Za-z]:/;

/**
 * Splits a relative path into its names, treating `/` and `\` alike, and refuses every form
 * that could name something outside the root before the file system is asked anything.
 */
function splitRelativePath(relativePath: string): string[] {
  const refuse = (why: string): never => {
    throw new PathOutsideRootError(
      `The path ${JSON.stringify(relativePath)} is refused: ${why}. Give a path relative to the folder, without "..".`,
      { details: { path: relativePath } },
    );
  };
  if (relativePath.includes('\0')) refuse('it contains a NUL byte');
  if (relativePath.startsWith('/') || relativePath.startsWith('\\')) {
    refuse('it is absolute (or a UNC path)');
  }
  if (DRIVE_LETTER.test(relativePath)) refuse('it starts with a drive letter');
  const names = relativePath.split(/[\\/]+/).filter((name) => name !== '' && name !== '.');
  if (names.includes('..')) refuse('it contains ".."');
  return names;
}

async function realRootOf(root: string): Promise<string> {
  try {
    return await realpath(root);
  } catch (error) {
    throw new PathOutsideRootError(
      `The folder ${root} cannot be used as a root: ${describeError(error)}. Check that it exists.`,
      { cause: error, details: { root } },
    );
  }
}

/**
 * The real path of `candidate`, or of its deepest existing ancestor joined with the names
 * that do not exist yet (so a file about to be created can be checked too). A symlink whose
 * target is missing is refused: writing through it would create its target, wherever that is.
 */
async function realPathOfExistingPart(candidate: string, relativePath: string): Promise<string> {
  const missing: string[] = [];
  let current = candidate;
  for (;;) {
    try {
      const real = await realpath(current);
      return missing.length === 0 ? real : path.join(real, ...missing.reverse());
    } catch (error) {
      if (systemErrorCode(error) !== 'ENOENT' && systemErrorCode(error) !== 'ENOTDIR') {
        throw new PathOutsideRootError(
          `The path ${JSON.stringify(relativePath)} could not be checked: ${describeError(error)}.`,
          { cause: error, details: { path: relativePath } },
        );
      }
      const linkStatus = await lstat(current).catch(() => undefined);
      if (linkStatus?.isSymbolicLink()) {
        throw new PathOutsideRootError(
          `The path ${JSON.stringify(relativePath)} is refused: ${current} is a symlink to a missing target.`,
          { cause: error, details: { path: relativePath } },
        );
      }
      missing.push(path.basename(current));
      current = path.dirname(current);
    }
  }
}

/**
 * Resolves `relativePath` inside `root`: the one gate every client-supplied path goes through.
 *
 * Refuses absolute paths, `..` anywhere, drive letters (`C:`), UNC paths (`\\server`), NUL
 * bytes, and symlinks whose real path leaves the root; `\` counts as a separator on every
 * platform. The real path is checked against `realpath(root) + sep`, so `root-evil/` beside
 * `root/` is outside. The path need not exist yet (a file about to be written is checked
 * through its deepest existing folder). Nothing is decoded: `%2e%2e` is a file name.
 *
 * @returns the absolute path `path.resolve(root, relativePath)`; `''` or `.` give the root.
 * @throws {PathOutsideRootError} `PATH_OUTSIDE_ROOT` when refused, or when the root is missing.
 * @example
 * const file = await resolveInsideRoot('/data/sakura', 'sakura_0001.png');
 */
export async function resolveInsideRoot(root: string, relativePath: string): Promise<string> {
  const names = splitRelativePath(relativePath);
  const realRoot = await realRootOf(root);
  const lexical = path.join(path.resolve(root), ...names);
  if (names.length === 0) return lexical;
  const real = await realPathOfExistingPart(path.join(realRoot, ...names), relativePath);
  if (
    real !== realRoot &&
    !real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)
  ) {
    throw new PathOutsideRootError(
      `The path ${JSON.stringify(relativePath)} is refused: it leads to ${real}, outside ${realRoot}.`,
      { details: { path: relativePath, root } },
    );
  }
  return lexical;
}
