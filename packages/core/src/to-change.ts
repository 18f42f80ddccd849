import type { Change, ImageChange, ImageRecord } from '@civtag/api-models';
import { pendingProposals } from '@civtag/tags';
import type { EntryResult } from './reduce-entry.js';
import type { ImageState } from './state-schema.js';

/** The public record of an image (what the API shows), without civtag's bookkeeping. */
export function toImageRecord(image: ImageState): ImageRecord {
  const record: ImageRecord = {
    id: image.id,
    file: image.file,
    hash: image.hash,
    width: image.width,
    height: image.height,
    format: image.format,
    tags: [...image.tags],
    rev: image.rev,
    excluded: image.excluded,
  };
  if (image.proposals !== undefined) record.proposals = pendingProposals(image);
  if (image.rating !== undefined) record.rating = { ...image.rating };
  if (image.source !== undefined) record.source = { ...image.source };
  if (image.phash !== undefined) record.phash = image.phash;
  return record;
}

/** The broadcast form of an entry's result; it carries the settings when they changed. */
export function toChange(
  revision: number,
  result: EntryResult,
  key?: { clientId: string; opId: string },
): Change {
  const changes: ImageChange[] = result.changes.map((change) => {
    const image: ImageChange = {
      imageId: change.imageId,
      tags: [...change.after.tags],
      rev: revision,
      excluded: change.after.excluded,
    };
    if (change.proposals !== undefined)
      image.proposals = change.proposals.map((proposal) => ({ ...proposal }));
    if (change.rating !== undefined) image.rating = { ...change.rating };
    return image;
  });
  const change: Change = { revision, origin: result.origin, changes };
  if (key !== undefined) {
    change.clientId = key.clientId;
    change.opId = key.opId;
  }
  if (result.added !== undefined) change.added = result.added.map(toImageRecord);
  if (result.settings !== undefined) change.settings = structuredClone(result.settings);
  if (result.description !== undefined) change.description = result.description;
  return change;
}

/** True when a change has something to tell: changed or added images, or new settings. */
export function hasNews(change: Change): boolean {
  return (
    change.changes.length > 0 || (change.added?.length ?? 0) > 0 || change.settings !== undefined
  );
}
