import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cliPath, corpusDir } from './paths.js';

const run = promisify(execFile);

/** A dataset made from the corpus in a temp folder, plus a folder the browser may import. */
export interface DatasetFixture {
  root: string;
  dataset: string;
  /** A folder to pass as `--import-root`: one sub-folder with good and deliberately corrupt PNGs. */
  importRoot: string;
}

const PNG_FILES = ['basn2c08.png', 'basn6a08.png', 'basn0g08.png'];
const CORRUPT_PNG_FILES = ['xs1n0g01.png', 'xcrn0g04.png'];

/** How {@link makeDatasetFixture} makes its dataset. */
export interface DatasetFixtureOptions {
  trigger?: string;
  /** The caption written beside a photo, by its name without extension (`Portrait_3`). */
  captionFor?: (stem: string) => string;
}

/**
 * Copies the EXIF-orientation photos (with captions written beside them, `captionFor` or a
 * portrait's or landscape's tags) and a few small PNGs from the corpus into a temp source
 * folder and imports it with `civtag import`.
 */
export async function makeDatasetFixture(
  options: DatasetFixtureOptions = {},
): Promise<DatasetFixture> {
  const corpus = corpusDir();
  const root = await mkdtemp(path.join(tmpdir(), 'civtag-web-e2e-'));
  const source = path.join(root, 'source');
  await mkdir(source);
  const photos = (await readdir(path.join(corpus, 'exif-orientation'))).filter((file) =>
    file.endsWith('.jpg'),
  );
  for (const file of photos) {
    await copyFile(path.join(corpus, 'exif-orientation', file), path.join(source, file));
    const stem = file.replace(/\.jpg$/, '');
    const caption =
      options.captionFor?.(stem) ??
      (stem.startsWith('Portrait')
        ? 'portrait, solo, looking at viewer'
        : 'landscape, outdoors, sky');
    await writeFile(path.join(source, `${stem}.txt`), caption);
  }
  for (const file of PNG_FILES)
    await copyFile(path.join(corpus, 'pngsuite', file), path.join(source, file));

  const importRoot = path.join(root, 'incoming');
  const batch = path.join(importRoot, 'pngsuite-batch');
  await mkdir(batch, { recursive: true });
  for (const file of ['basi0g08.png', 'basn3p08.png', ...CORRUPT_PNG_FILES]) {
    await copyFile(path.join(corpus, 'pngsuite', file), path.join(batch, file));
  }

  const dataset = path.join(root, 'dataset');
  const args = [cliPath, 'import', source, '--out', dataset, '--prefix', 'e2e', '--json'];
  if (options.trigger !== undefined) args.push('--trigger', options.trigger);
  await run(process.execPath, args, { timeout: 120_000 });
  return { root, dataset, importRoot };
}

/** The caption file of a dataset image (`e2e_0001.jpg` → `e2e_0001.txt`), or '' when none. */
export async function readCaption(dataset: string, file: string): Promise<string> {
  const captionPath = path.join(dataset, file.replace(/\.[^.]+$/, '.txt'));
  try {
    return await readFile(captionPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** The tags of a caption file's first line. */
export function captionTags(caption: string): string[] {
  const firstLine = caption.split(/\r?\n/)[0] ?? '';
  return firstLine
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/** Removes the fixture's temp folder (source, dataset and import root). */
export async function removeDatasetFixture(fixture: DatasetFixture | undefined): Promise<void> {
  if (fixture !== undefined) await rm(fixture.root, { recursive: true, force: true });
}
