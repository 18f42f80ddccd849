import { CivtagError, ErrorCode, type ImageFormat, type ImportFailure } from '@civtag/api-models';
import {
  hashFile,
  makeThumbnail,
  probeImage,
  type ScannedImage,
  writeFileAtomic,
} from '@civtag/core-fs';
import { pathExists } from './path-exists.js';
import { readSourceCaption, type SourceCaption } from './source-caption.js';
import { thumbnailPath } from './thumbnail.js';

/** An image ready to be placed in the dataset, or why it cannot be. */
export type PreparedImage =
  | {
      kind: 'ready';
      hash: string;
      size: number;
      width: number;
      height: number;
      format: ImageFormat;
      caption: SourceCaption;
    }
  | { kind: 'failed'; failure: ImportFailure };

/**
 * The work on one source image that can run beside other images: hash, probe, thumbnail
 * (into `.civtag/thumbs/`, once per content), and its caption. Never throws: a failure is
 * returned with the file's path and the reason.
 */
export async function prepareImage(
  image: ScannedImage,
  options: {
    dir: string;
    tagsFromMetadata: boolean;
  },
): Promise<PreparedImage> {
  try {
    const hash = await hashFile(image.path);
    const probe = await probeImage(image.path);
    const thumbnail = thumbnailPath(options.dir, hash);
    if (!(await pathExists(thumbnail))) {
      await writeFileAtomic(thumbnail, await makeThumbnail(image.path), { fsync: false });
    }
    const caption = await readSourceCaption(image.path, options);
    return {
      kind: 'ready',
      hash,
      size: image.size,
      width: probe.width,
      height: probe.height,
      format: probe.format,
      caption,
    };
  } catch (error) {
    const code = CivtagError.isInstance(error) ? error.code : ErrorCode.IO_ERROR;
    return { kind: 'failed', failure: { path: image.path, code, message: describeError(error) } };
  }
}

/** The message of any thrown value. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
