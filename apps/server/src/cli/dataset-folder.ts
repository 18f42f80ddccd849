import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError, ErrorCode, PrefixSchema } from '@civtag/api-models';
import type { Dataset } from '@civtag/core';
import { createDataset, openDataset } from '@civtag/core';
import { IMAGE_EXTENSIONS } from '@civtag/core-fs';

/** True when `dir` already holds a civtag dataset. */
export function isDataset(dir: string): boolean {
  return existsSync(path.join(dir, '.civtag'));
}

/** A file-name prefix from a folder's name: `My Photos!` gives `My_Photos`; `image` when nothing is left. */
export function prefixFromFolder(dir: string): string {
  const cleaned = path
    .basename(path.resolve(dir))
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return PrefixSchema.safeParse(cleaned).success ? cleaned : 'image';
}

/** Opens the dataset in `dir`, or throws `NOT_FOUND` with what to run to make one. */
export async function openExistingDataset(dir: string): Promise<Dataset> {
  if (!isDataset(dir)) {
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `${dir} is not a civtag dataset (it has no .civtag folder). Make one with: civtag import <images> --out ${dir}`,
      { details: { dir } },
    );
  }
  return openDataset(dir);
}

/** Opens the dataset in `dir`, creating it (with `prefix` and `triggerWord`) when there is none. */
export async function openOrCreateDataset(
  dir: string,
  settings: { prefix?: string | undefined; triggerWord?: string | undefined },
): Promise<{ dataset: Dataset; created: boolean }> {
  if (isDataset(dir)) return { dataset: await openDataset(dir), created: false };
  const options: { prefix: string; triggerWord?: string } = {
    prefix: settings.prefix ?? prefixFromFolder(dir),
  };
  if (settings.triggerWord !== undefined) options.triggerWord = settings.triggerWord;
  return { dataset: await createDataset(dir, options), created: true };
}

/** Runs `work` on the open dataset and closes it (compacting, releasing the lock) whatever happens. */
export async function withDataset<T>(
  dataset: Dataset,
  work: (dataset: Dataset) => Promise<T>,
): Promise<T> {
  try {
    return await work(dataset);
  } finally {
    await dataset.close();
  }
}

/** Checks that an import source is a folder, before anything is created for it. */
export async function requireSourceFolder(source: string): Promise<void> {
  const status = await stat(source).catch(() => undefined);
  if (status?.isDirectory() !== true) {
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `${source} is not a folder of images: check the path.`,
      {
        details: { source },
      },
    );
  }
}

/** True when `dir` is a folder holding at least one image file at its top level. */
export async function holdsImages(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.some(
    (entry) => entry.isFile() && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase()),
  );
}
