import type { ImageRecord, TagOp } from '@civtag/api-models';
import { type ApplyTagOpOptions, applyTagOp, type TaggableImage } from '@civtag/tags';

/** How many images a bulk op would change, out of how many it targets. */
export interface BulkPreview {
  changed: number;
  considered: number;
  /** A few example changes, for the preview list. */
  samples: { imageId: string; before: string[]; after: string[] }[];
  /** The op cannot be applied (a bad tag…): the message says why. */
  problem?: string;
}

/**
 * Previews a bulk op over the loaded records with `applyTagOp` from `@civtag/tags`, the same
 * function the server applies, so the count and the samples are what the server will store —
 * provided every targeted image is loaded (the caller loads all pages of the filter first) and
 * `tagOpOptions` are the dataset's (`tagOpOptions(settings)` of `@civtag/tags`: its trigger
 * word and tag style; default none).
 */
export function previewBulkOp(
  records: Iterable<ImageRecord>,
  op: TagOp,
  options: { tagOpOptions?: ApplyTagOpOptions; sampleSize?: number } = {},
): BulkPreview {
  const images = new Map<string, TaggableImage>();
  for (const record of records) {
    images.set(record.id, { id: record.id, tags: record.tags, excluded: record.excluded });
  }
  try {
    const { changes } = applyTagOp(images, op, options.tagOpOptions ?? {});
    return {
      changed: changes.length,
      considered: images.size,
      samples: changes.slice(0, options.sampleSize ?? 5).map((change) => ({
        imageId: change.imageId,
        before: change.before.tags,
        after: change.after.tags,
      })),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { changed: 0, considered: images.size, samples: [], problem: message };
  }
}
