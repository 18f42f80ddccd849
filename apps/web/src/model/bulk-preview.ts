import type { ImageRecord, TagOp } from '@civtag/api-models';
import { type ApplyTagOpOptions, applyTagOp, type TaggableImage } from '@civtag/tags';

/** How many images a bulk op would change, out of how many it targets. */
export interface BulkPreview {
  changed: number;
  considered: number;
  /** Tags added over all the images (what an `accept-proposals` accepts). */
  tagsAdded: number;
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
 *
 * `recordsMatchQuery`: the records are exactly the images the op's query target matches (every
 * page of the grid's filter, which is the target's query). The preview then targets them by id,
 * so a term that needs the whole dataset (`has:near-duplicates`) is counted too.
 */
export function previewBulkOp(
  records: Iterable<ImageRecord>,
  op: TagOp,
  options: {
    tagOpOptions?: ApplyTagOpOptions;
    sampleSize?: number;
    recordsMatchQuery?: boolean;
  } = {},
): BulkPreview {
  const images = new Map<string, TaggableImage>();
  for (const record of records) {
    images.set(record.id, {
      id: record.id,
      tags: record.tags,
      excluded: record.excluded,
      // What the filter terms on the image read (`width<768`, `format:png`, `name:`, `source:`).
      file: record.file,
      width: record.width,
      height: record.height,
      format: record.format,
      ...(record.source === undefined ? {} : { source: record.source }),
      // What `accept-proposals` adds; the records hold the pending ones.
      ...(record.proposals === undefined ? {} : { proposals: record.proposals }),
    });
  }
  if (images.size === 0) return { changed: 0, considered: 0, tagsAdded: 0, samples: [] };
  const previewed =
    options.recordsMatchQuery === true && 'target' in op && 'query' in op.target
      ? ({ ...op, target: { ids: [...images.keys()] } } as TagOp)
      : op;
  try {
    const { changes } = applyTagOp(images, previewed, options.tagOpOptions ?? {});
    let tagsAdded = 0;
    for (const change of changes) {
      tagsAdded += Math.max(0, change.after.tags.length - change.before.tags.length);
    }
    return {
      changed: changes.length,
      considered: images.size,
      tagsAdded,
      samples: changes.slice(0, options.sampleSize ?? 5).map((change) => ({
        imageId: change.imageId,
        before: change.before.tags,
        after: change.after.tags,
      })),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { changed: 0, considered: images.size, tagsAdded: 0, samples: [], problem: message };
  }
}
