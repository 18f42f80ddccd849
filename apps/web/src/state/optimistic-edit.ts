import type { ImageRecord, TagOp } from '@civtag/api-models';
import {
  type ApplyTagOpOptions,
  applyTagOp,
  type ImageTagChange,
  type TaggableImage,
} from '@civtag/tags';
import type { PageCache } from '../model/page-cache.js';

function targetedRecords(cache: PageCache, op: TagOp): ImageRecord[] {
  if ('imageId' in op) {
    const record = cache.get(op.imageId);
    return record === undefined ? [] : [record];
  }
  // A settings op names no images: what it does to tags arrives with the server's change.
  if (!('target' in op)) return [];
  if ('ids' in op.target) {
    return op.target.ids.map((id) => cache.get(id)).filter((record) => record !== undefined);
  }
  return cache.loaded();
}

/**
 * Computes an op's effect on the loaded records with `applyTagOp` (the server's own rules) and
 * shows it at once, before the server confirms — so an edit made offline is visible while it
 * waits in the queue. `tagOpOptions` are the dataset's (`tagOpOptions(settings)`: trigger word
 * and tag style), so the tile shows the form the server will store. Returns the changes, to undo
 * the display if the server rejects the op.
 *
 * @throws the `VALIDATION` error of `applyTagOp` (a tag with a comma, too long…): nothing is shown.
 */
export function showOptimisticEdit(
  cache: PageCache,
  op: TagOp,
  tagOpOptions: ApplyTagOpOptions,
): ImageTagChange[] {
  const images = new Map<string, TaggableImage>();
  for (const record of targetedRecords(cache, op)) {
    images.set(record.id, {
      id: record.id,
      tags: record.tags,
      excluded: record.excluded,
      ...(record.proposals === undefined ? {} : { proposals: record.proposals }),
    });
  }
  // An op on one image that is not loaded (it left the filter) is still sent; nothing to show.
  if ((op.type === 'settings' || 'imageId' in op) && images.size === 0) return [];
  const { changes } = applyTagOp(images, op, tagOpOptions);
  for (const change of changes) cache.applyLocal(change.imageId, change.after);
  if (changes.length > 0) cache.notify();
  return changes;
}

/** Undoes the display of a rejected op, image by image, where nothing newer replaced it. */
export function revertOptimisticEdit(cache: PageCache, changes: readonly ImageTagChange[]): void {
  let reverted = false;
  for (const change of changes) {
    const record = cache.get(change.imageId);
    if (record === undefined) continue;
    const unchanged =
      record.excluded === change.after.excluded &&
      record.tags.length === change.after.tags.length &&
      record.tags.every((tag, index) => tag === change.after.tags[index]);
    if (unchanged) reverted = cache.applyLocal(change.imageId, change.before) || reverted;
  }
  if (reverted) cache.notify();
}
