import type { QueryContext } from '@civtag/tags';
import { ImageIndex } from './image-index.js';
import { findNearDuplicateGroups } from './near-duplicates.js';
import type { DatasetState, ImageState } from './state-schema.js';

/** The near-duplicates of a dataset at one revision. */
export interface NearDuplicates {
  /** Groups of ids of images that look alike, in import order (see `findNearDuplicateGroups`). */
  groups: string[][];
  /** Every id in a group. */
  members: ReadonlySet<string>;
  /** Images not excluded whose perceptual hash is not known yet. */
  pending: number;
}

interface Computed extends NearDuplicates {
  revision: number;
  /** What the groups were found from: per image in order, its hash, `null` when excluded. */
  looks: (string | undefined | null)[];
}

const computed = new WeakMap<DatasetState, Computed>();

/**
 * The near-duplicate groups among the images of `state` that are not excluded (an excluded
 * image is out of the training set already). They are searched again only when an image's hash
 * or exclusion changed, or an image came: a tag edit moves the revision but not the groups, and
 * a filter that pages through `has:near-duplicates` does not search for every page.
 */
export function nearDuplicatesOf(state: DatasetState): NearDuplicates {
  const cached = computed.get(state);
  if (cached !== undefined && cached.revision === state.revision) return cached;
  const { order } = ImageIndex.for(state);
  if (cached !== undefined && sameLooks(cached.looks, order)) {
    cached.revision = state.revision;
    return cached;
  }
  const included: ImageState[] = [];
  const looks: Computed['looks'] = new Array(order.length);
  let pending = 0;
  order.forEach((image, position) => {
    looks[position] = image.excluded ? null : image.phash;
    if (image.excluded) return;
    if (image.phash === undefined) pending += 1;
    else included.push(image);
  });
  const groups = findNearDuplicateGroups(included);
  const result = {
    revision: state.revision,
    looks,
    groups,
    members: new Set(groups.flat()),
    pending,
  };
  computed.set(state, result);
  return result;
}

function sameLooks(looks: Computed['looks'], order: readonly ImageState[]): boolean {
  if (looks.length !== order.length) return false;
  for (let position = 0; position < order.length; position += 1) {
    const image = order[position] as ImageState;
    if (looks[position] !== (image.excluded ? null : image.phash)) return false;
  }
  return true;
}

/** What a filter query of `state` needs beyond each image: its near-duplicates, on first use. */
export function queryContextOf(state: DatasetState): QueryContext {
  return { hasNearDuplicates: (image) => nearDuplicatesOf(state).members.has(image.id) };
}
