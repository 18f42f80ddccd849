import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorCode } from '@civtag/api-models';
import { describeError, FileError, systemErrorCode } from './errors.js';
import { identifyImages } from './identify-images.js';
import { IMAGE_EXTENSIONS } from './image-format.js';
import { compareNaturally } from './natural-order.js';
import type { Candidate, ScannedImage, ScanProblem } from './scanned-image.js';

export type { ScannedImage, ScanProblem } from './scanned-image.js';

/** Options of {@link scanImages}. */
export interface ScanImagesOptions {
  /** Look into subfolders (not hidden ones, not `.civtag/`). Default `false`. */
  recursive?: boolean;
}

/**
 * Lists the images in `dir`, in natural order (`img2` before `img10`), by extension and
 * confirmed by their first bytes. Hidden files and folders (names starting with `.`, so also
 * `.civtag/`) are skipped. Symlinks are followed while their real path stays inside `dir`; a
 * folder reached twice (a symlink loop) is listed once. Anything that cannot be read — a
 * broken link, a link out of `dir`, a file whose content is no image — goes to `problems`
 * instead of stopping the scan.
 *
 * @throws {FileError} `NOT_FOUND` / `IO_ERROR` only when `dir` itself cannot be read.
 */
export async function scanImages(
  dir: string,
  options: ScanImagesOptions = {},
): Promise<{ images: ScannedImage[]; problems: ScanProblem[] }> {
  const root = path.resolve(dir);
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    await readdir(realRoot);
  } catch (error) {
    throw new FileError(
      systemErrorCode(error) === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR',
      `Cannot scan ${root} for images: ${describeError(error)}. Check that the folder exists and is readable.`,
      { cause: error, details: { path: root } },
    );
  }
  const walk = new FolderWalk(root, realRoot, options.recursive ?? false);
  await walk.run();
  const images = await identifyImages(walk.candidates, walk.problems);
  images.sort((left, right) => compareNaturally(left.relativePath, right.relativePath));
  walk.problems.sort((left, right) => compareNaturally(left.path, right.path));
  return { images, problems: walk.problems };
}

class FolderWalk {
  readonly candidates: Candidate[] = [];
  readonly problems: ScanProblem[] = [];
  private readonly visited = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly realRoot: string,
    private readonly recursive: boolean,
  ) {}

  async run(): Promise<void> {
    const rootStatus = await stat(this.realRoot);
    this.visited.add(`${rootStatus.dev}:${rootStatus.ino}`);
    const folders: Candidate[] = [{ path: this.root, relativePath: '' }];
    for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
      let entries: Dirent[];
      try {
        entries = await readdir(folder.path, { withFileTypes: true });
      } catch (error) {
        this.report(folder.path, 'IO_ERROR', `Cannot list the folder: ${describeError(error)}.`);
        continue;
      }
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const found: Candidate = {
          path: path.join(folder.path, entry.name),
          relativePath:
            folder.relativePath === '' ? entry.name : `${folder.relativePath}/${entry.name}`,
        };
        const kind = await this.kindOf(entry, found.path);
        if (kind === 'file' && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
          this.candidates.push(found);
        } else if (kind === 'folder' && this.recursive && (await this.firstVisit(found.path))) {
          folders.push(found);
        }
      }
    }
  }

  /** What an entry is, following a symlink only while its target stays inside the root. */
  private async kindOf(entry: Dirent, file: string): Promise<'file' | 'folder' | 'other'> {
    if (entry.isFile()) return 'file';
    if (entry.isDirectory()) return 'folder';
    if (!entry.isSymbolicLink()) return 'other';
    try {
      const real = await realpath(file);
      if (real !== this.realRoot && !real.startsWith(this.realRoot + path.sep)) {
        this.report(
          file,
          'PATH_OUTSIDE_ROOT',
          `Skipped: the symlink leads to ${real}, outside ${this.root}.`,
        );
        return 'other';
      }
      const status = await stat(real);
      return status.isFile() ? 'file' : status.isDirectory() ? 'folder' : 'other';
    } catch (error) {
      this.report(file, 'IO_ERROR', `Skipped a broken symlink: ${describeError(error)}.`);
      return 'other';
    }
  }

  private async firstVisit(folder: string): Promise<boolean> {
    try {
      const status = await stat(folder);
      const key = `${status.dev}:${status.ino}`;
      if (this.visited.has(key)) return false;
      this.visited.add(key);
      return true;
    } catch (error) {
      this.report(folder, 'IO_ERROR', `Cannot open the folder: ${describeError(error)}.`);
      return false;
    }
  }

  private report(file: string, code: ErrorCode, message: string): void {
    this.problems.push({ path: file, code, message });
  }
}
