import { setImmediate as nextTurn } from 'node:timers/promises';
import { perceptualHash } from '@civtag/core-fs';
import type { PerceptualHashesEntry } from './entry-schema.js';
import { ImageIndex } from './image-index.js';
import type { DatasetState } from './state-schema.js';
import { readThumbnail } from './thumbnail.js';

/** How many images one journal entry hashes: a slice of work between other tasks. */
const SLICE = 32;

/** What the background hashing needs from its dataset. */
export interface HashingContext {
  dir: string;
  state: () => DatasetState;
  /** The image file of an image (in `.civtag/trash/` when excluded). */
  imagePath: (id: string) => string;
  /** Journals an entry in the dataset's queue, after the changes waiting there. */
  commit: (entry: PerceptualHashesEntry) => Promise<void>;
  /** True once the dataset is closing: the work stops after the image in hand. */
  stopped: () => boolean;
}

/**
 * Works out the perceptual hash of every image that has none (a dataset made before civtag
 * kept them), from its thumbnail (made when missing), and journals them `SLICE` at a time as
 * ordinary entries: a kill loses at most one slice, and the next open goes on from there. Each
 * slice waits its turn in the dataset's queue, and the event loop gets a turn between images,
 * so the dataset keeps answering. An image that cannot be read is passed over (the check
 * reports it); it is tried again at the next open. Resolves with how many were hashed; never
 * rejects while the dataset is open.
 */
export async function hashMissingImages(context: HashingContext): Promise<number> {
  const missing = ImageIndex.for(context.state())
    .order.filter((image) => image.phash === undefined)
    .map((image) => image.id);
  let hashed = 0;
  for (let start = 0; start < missing.length; start += SLICE) {
    const hashes: Record<string, string> = {};
    let count = 0;
    for (const id of missing.slice(start, start + SLICE)) {
      if (context.stopped()) return hashed;
      const image = ImageIndex.for(context.state()).byId.get(id);
      if (image === undefined || image.phash !== undefined) continue;
      try {
        const thumbnail = await readThumbnail(context.dir, image.hash, context.imagePath(id));
        hashes[id] = await perceptualHash(thumbnail);
        count += 1;
      } catch {
        // Unreadable now: `check` names the image; the next open tries again.
      }
      await nextTurn();
    }
    if (count === 0) continue;
    if (context.stopped()) return hashed;
    await context.commit({ kind: 'perceptual-hashes', hashes });
    hashed += count;
  }
  return hashed;
}
