import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImportRootsResponse } from '@civtag/api-models';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import { IMAGE_EXTENSIONS, resolveInsideRoot } from '@civtag/core-fs';

/** How far the listing of import folders goes. */
export interface ImportFolderLimits {
  /** Folder levels below each root. Default 3. */
  maxDepth?: number;
  /** Folders listed in all. Default 500. */
  maxFolders?: number;
}

/**
 * Lists the folders under each import root with how many images each holds directly, breadth
 * first and bounded, so a web page can offer them instead of a free-text path. Hidden folders
 * and symlinks are not followed. Paths are absolute, as `POST /api/imports` takes them.
 */
export async function listImportFolders(
  roots: readonly string[],
  limits: ImportFolderLimits = {},
): Promise<ImportRootsResponse> {
  const maxDepth = limits.maxDepth ?? 3;
  let budget = limits.maxFolders ?? 500;
  const result: ImportRootsResponse = { roots: [] };
  for (const root of roots) {
    const folders: { path: string; imageCount: number }[] = [];
    let level = [root];
    for (let depth = 0; depth <= maxDepth && level.length > 0 && budget > 0; depth += 1) {
      const next: string[] = [];
      for (const folder of level) {
        if (budget <= 0) break;
        const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
        let imageCount = 0;
        for (const entry of entries) {
          if (entry.name.startsWith('.')) continue;
          if (entry.isDirectory()) next.push(path.join(folder, entry.name));
          else if (entry.isFile() && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
            imageCount += 1;
          }
        }
        folders.push({ path: folder, imageCount });
        budget -= 1;
      }
      level = next.sort();
    }
    result.roots.push({ root, folders });
  }
  return result;
}

/**
 * Resolves a client-given import source (absolute, or relative to the first root) inside one of
 * the import roots, through the one path gate of core-fs. Throws `FORBIDDEN` when the server has
 * no import roots and `PATH_OUTSIDE_ROOT` when the source lies outside all of them.
 */
export async function resolveImportSource(
  roots: readonly string[],
  source: string,
): Promise<string> {
  if (roots.length === 0) {
    throw new CivtagError(
      ErrorCode.FORBIDDEN,
      'This server takes no imports from the browser: start it with --import-root DIR, or run "civtag import".',
    );
  }
  let lastError: unknown;
  for (const root of roots) {
    if (source.includes('\0')) break;
    const relative = path.relative(root, path.resolve(root, source));
    let resolved: string;
    try {
      resolved = await resolveInsideRoot(root, relative === '' ? '.' : relative);
    } catch (error) {
      lastError = error;
      continue;
    }
    const status = await stat(resolved).catch(() => undefined);
    if (status?.isDirectory() !== true) {
      throw new CivtagError(
        ErrorCode.NOT_FOUND,
        `The import source ${JSON.stringify(source)} is not a folder; pick one from GET /api/import-roots.`,
        {
          details: { source },
        },
      );
    }
    return resolved;
  }
  throw new CivtagError(
    ErrorCode.PATH_OUTSIDE_ROOT,
    `The import source ${JSON.stringify(source)} is not inside an import root (${roots.join(', ')}).`,
    { cause: lastError, details: { source } },
  );
}
