import { open } from 'node:fs/promises';
import path from 'node:path';
import { describeError } from './errors.js';
import { detectImageFormat, MAGIC_BYTES_LENGTH } from './image-format.js';
import type { Candidate, ScannedImage, ScanProblem } from './scanned-image.js';
import { withRetry } from './with-retry.js';

/** How many files are opened at once to read their first bytes. */
const PARALLEL_READS = 16;

/** Reads the first bytes of each candidate, a few files at a time, and keeps the images. */
export async function identifyImages(
  candidates: Candidate[],
  problems: ScanProblem[],
): Promise<ScannedImage[]> {
  const images: ScannedImage[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < candidates.length; index = next++) {
      const candidate = candidates[index]!;
      try {
        const image = await identifyImage(candidate);
        if (typeof image === 'string') {
          problems.push({ path: candidate.path, code: 'IMAGE_UNREADABLE', message: image });
        } else {
          images.push(image);
        }
      } catch (error) {
        problems.push({
          path: candidate.path,
          code: 'IO_ERROR',
          message: `Cannot read the file: ${describeError(error)}.`,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_READS }, worker));
  return images;
}

async function identifyImage(candidate: Candidate): Promise<ScannedImage | string> {
  // The scan opens several files at once: a full descriptor table is worth waiting for.
  const handle = await withRetry(() => open(candidate.path, 'r'));
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(MAGIC_BYTES_LENGTH);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead === 0) return 'Skipped: the file is empty.';
    const format = detectImageFormat(head.subarray(0, bytesRead));
    if (format === undefined) {
      return 'Skipped: the file has an image extension but its content is not a PNG, JPEG, WebP, GIF, AVIF, TIFF or BMP image.';
    }
    return {
      path: path.resolve(candidate.path),
      relativePath: candidate.relativePath,
      size,
      format,
    };
  } finally {
    await handle.close();
  }
}
