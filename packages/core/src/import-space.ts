import { CivtagError, ErrorCode, type ImportFailure } from '@civtag/api-models';
import { freeSpace } from '@civtag/core-fs';
import { noRoomCode } from './no-room.js';

/**
 * What an image takes on the dataset's disk besides its own bytes, rounded up to whole blocks:
 * its thumbnail (a WebP of at most 256 px, mostly under 20 KB), its caption file and its journal
 * line.
 */
export const BYTES_PER_IMAGE_BESIDES_ITS_FILE = 32 * 1024;

/** Roughly the bytes `images` take in a dataset: their files, thumbnails, captions, journal. */
export function importBytesNeeded(images: readonly { size: number }[]): number {
  return images.reduce((sum, image) => sum + image.size + BYTES_PER_IMAGE_BESIDES_ITS_FILE, 0);
}

/**
 * Refuses an import before anything is copied when the disk holding the dataset clearly has not
 * the room for `images`: less free than their files alone take (images already in the dataset
 * are not copied again, so only that much is certain). The error is the one an import that runs
 * out of space stops with, and gives the whole estimate (thumbnails and captions too).
 *
 * @throws CivtagError `DISK_FULL` with `details: { path, bytesNeeded, bytesFree }`.
 */
export async function assertRoomForImport(
  dir: string,
  images: readonly { size: number }[],
): Promise<void> {
  if (images.length === 0) return;
  const bytesFree = await freeSpace(dir);
  const filesAlone = images.reduce((sum, image) => sum + image.size, 0);
  if (bytesFree >= filesAlone) return;
  const bytesNeeded = importBytesNeeded(images);
  throw new CivtagError(
    ErrorCode.DISK_FULL,
    `Not enough space for this import on the disk holding the dataset ${dir}: it needs about ${formatBytes(bytesNeeded)} and ${formatBytes(bytesFree)} are free. Free some space there (or import fewer images), then run the import again.`,
    { details: { path: dir, bytesNeeded, bytesFree } },
  );
}

/**
 * The error an import stops with when its disk has no more room: the dataset folder, roughly
 * what the images not imported yet need, what is free, and that the same import goes on where it
 * stopped. A dataset folder that cannot be written (`NOT_WRITABLE`) says so instead.
 */
export async function importStoppedForRoom(
  dir: string,
  remaining: readonly { size: number }[],
  cause: unknown,
): Promise<CivtagError> {
  // With every image placed, what is left are caption files (a block each, at the least).
  const bytesNeeded = Math.max(importBytesNeeded(remaining), BYTES_PER_IMAGE_BESIDES_ITS_FILE);
  const bytesFree = await freeSpace(dir).catch(() => 0);
  const details = { path: dir, bytesNeeded, bytesFree };
  const rest =
    remaining.length === 0
      ? 'caption files still to write'
      : `${remaining.length} image${remaining.length === 1 ? '' : 's'} still to import`;
  if (noRoomCode(cause) === ErrorCode.NOT_WRITABLE) {
    return new CivtagError(
      ErrorCode.NOT_WRITABLE,
      `The import stopped: the dataset folder ${dir} cannot be written (a read-only disk or no permission), with ${rest}. Make it writable and run the same import again: it goes on where it stopped.`,
      { cause, details },
    );
  }
  return new CivtagError(
    ErrorCode.DISK_FULL,
    `The import stopped: the disk holding the dataset ${dir} is full, with ${rest} (about ${formatBytes(bytesNeeded)} more; ${formatBytes(bytesFree)} free). Free some space and run the same import again: it goes on where it stopped.`,
    { cause, details },
  );
}

/** The failure an import's list shows for the dataset folder itself once the import stopped for room. */
export function roomFailure(error: CivtagError): ImportFailure {
  const path = (error.details as { path?: unknown } | undefined)?.path;
  return { path: typeof path === 'string' ? path : '', code: error.code, message: error.message };
}

/** `12.3 MB`, `512 KB`, `900 B`: sizes for people, in powers of 1000 as disk tools show them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${unit}`;
}
