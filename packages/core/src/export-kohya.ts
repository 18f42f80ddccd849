import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import { copyIntoDataset, makeFolder, writeFileAtomic } from '@civtag/core-fs';
import { type CaptionStyle, captionText } from './caption-text.js';
import type { ExportImage } from './export-zip.js';
import { captionFileName } from './naming.js';
import { runBounded } from './run-bounded.js';

/** What a kohya export wrote. */
export interface KohyaExportResult {
  /** The `<repeats>_<name>` folder the images were written to. */
  dir: string;
  images: number;
  captions: number;
}

/**
 * Writes the images and their captions into `outDir` (kohya sd-scripts' `<repeats>_<name>`
 * folder), made when missing. Copies use reflinks where the file system has them.
 *
 * @throws CivtagError `CONFLICT` when `outDir` exists and is not empty; `IO_ERROR`.
 */
export async function exportKohya(
  dir: string,
  images: readonly ExportImage[],
  options: { captions: CaptionStyle; outDir: string },
): Promise<KohyaExportResult> {
  const outDir = path.resolve(options.outDir);
  await makeFolder(outDir);
  if ((await readdir(outDir)).length > 0) {
    throw new CivtagError(
      ErrorCode.CONFLICT,
      `The export folder ${outDir} is not empty; choose a new or empty folder.`,
      {
        details: { path: outDir },
      },
    );
  }
  let captions = 0;
  await runBounded(images, 8, async (image) => {
    await copyIntoDataset(path.join(dir, image.file), path.join(outDir, image.file));
    const text = captionText(image, options.captions);
    if (text === '') return;
    await writeFileAtomic(path.join(outDir, captionFileName(image.file)), text, { fsync: false });
    captions += 1;
  });
  return { dir: outDir, images: images.length, captions };
}
