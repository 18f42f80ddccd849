import { readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { CaptionOptions } from '@civtag/api-models';
import { type CaptionContent, formatCaption, parseCaption } from '@civtag/tags';
import { type CaptionEncoding, decodeCaptionText } from './caption-text.js';
import { describeError, FileError, systemErrorCode } from './errors.js';
import { serialised } from './per-path-queue.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** A caption sidecar, read. */
export interface SidecarCaption {
  /** The tags of the first line, normalised, unescaped, duplicates dropped. */
  tags: string[];
  /** The lines after the first, verbatim. */
  extraLines: string[];
  encoding: CaptionEncoding;
  hadBom: boolean;
  /** What was repaired or dropped while reading (and a note when the file was not UTF-8). */
  warnings: string[];
  /** The decoded text of the file, without its byte-order mark. */
  text: string;
}

/** Options of {@link writeSidecar}: the caption options, and whether to flush to disk. */
export interface WriteSidecarOptions extends Partial<CaptionOptions> {
  /**
   * Flush the caption to disk before resolving. Default `false`: captions are written from the
   * journal, which is already durable, and a caption that lags behind is rewritten on open.
   */
  fsync?: boolean;
}

/** Largest caption file civtag reads: far above 1,000 tags of 256 characters. */
export const MAX_SIDECAR_BYTES = 4 * 1024 * 1024;

/**
 * Reads a caption file with the forgiving rules of `@civtag/tags`: a BOM, CRLF, stray spaces,
 * empty entries and trailing commas are accepted; a file that is not valid UTF-8 is read as
 * Windows-1252 with a warning; lines after the first are kept verbatim.
 *
 * @returns `null` when the file does not exist.
 * @throws {FileError} `TOO_LARGE` over 4 MiB, `IO_ERROR` when it cannot be read.
 */
export async function readSidecar(filePath: string): Promise<SidecarCaption | null> {
  let bytes: Buffer;
  try {
    const { size } = await stat(filePath);
    if (size > MAX_SIDECAR_BYTES) {
      throw new FileError(
        'TOO_LARGE',
        `The caption file ${filePath} is ${size} bytes, more than the ${MAX_SIDECAR_BYTES} civtag reads; it is probably not a caption.`,
        { details: { path: filePath, size, limit: MAX_SIDECAR_BYTES } },
      );
    }
    bytes = await readFile(filePath);
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return null;
    if (error instanceof FileError) throw error;
    throw new FileError(
      'IO_ERROR',
      `Could not read the caption file ${filePath}: ${describeError(error)}.`,
      {
        cause: error,
        details: { path: filePath },
      },
    );
  }
  const decoded = decodeCaptionText(bytes, path.basename(filePath));
  const parsed = parseCaption(decoded.text);
  return {
    tags: parsed.tags,
    extraLines: parsed.extraLines,
    encoding: decoded.encoding,
    hadBom: decoded.hadBom,
    warnings: [...decoded.warnings, ...parsed.warnings],
    text: decoded.text,
  };
}

/**
 * Writes a caption file the way kohya sd-scripts and Civitai's trainer read it (UTF-8, no BOM,
 * tags joined by `", "`, see `formatCaption`), atomically. A caption with nothing to write
 * removes the file instead: kohya refuses an empty caption file. Writes and removals of one
 * path happen in call order.
 *
 * @returns `'written'`, or `'removed'` when there was nothing to write (also when no file existed).
 * @throws CivtagError `VALIDATION` for a tag that cannot be written (a comma, a line break);
 *   {@link FileError} `IO_ERROR` when the file cannot be written or removed.
 */
export async function writeSidecar(
  filePath: string,
  caption: CaptionContent,
  options: WriteSidecarOptions = {},
): Promise<'written' | 'removed'> {
  const { fsync = false, ...captionOptions } = options;
  const text = formatCaption(caption, captionOptions);
  if (text !== '') {
    await writeFileAtomic(filePath, text, { fsync });
    return 'written';
  }
  await serialised(path.resolve(filePath), async () => {
    try {
      await unlink(filePath);
    } catch (error) {
      if (systemErrorCode(error) === 'ENOENT') return;
      throw new FileError(
        'IO_ERROR',
        `Could not remove the empty caption file ${filePath}: ${describeError(error)}.`,
        {
          cause: error,
          details: { path: filePath },
        },
      );
    }
  });
  return 'removed';
}
