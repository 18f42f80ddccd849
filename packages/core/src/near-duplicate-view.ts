import type { QueryContext } from '@civtag/tags';
import { ImageIndex } from './image-index.js';
import { findNearDuplicateGroups } from './near-duplicates.js';
import type { DatasetState } from './state-schema.js';

/** The near-duplicates of a dataset at one revision. */
export interface NearDuplicates {
  /** Groups of ids of images that look alike, in import order (see `findNearDuplicateGroups`). */
  groups: string[][];
  /** Every id in a group. */
  members: ReadonlySet<string>;
  /** Images not excluded whose perceptual hash is not known yet. */
  pending: number;
}

const computed = new WeakMap<DatasetState, NearDuplicates & { revision: number }>();

/**
 * The near-duplicate groups among the images of `state` that are not excluded (an excluded
 * image is out of the training set already), worked out once per revision: a filter that pages
 * through `has:near-duplicates` does not search again for every page.
 */
export function nearDuplicatesOf(state: DatasetState): NearDuplicates {
  const cached = computed.get(state);
  if (cached !== undefined && cached.revision === state.revision) return cached;
  const included = [];
  let pending = 0;
  for (const image of ImageIndex.for(state).order) {
    if (image.excluded) continue;
    if (image.phash === undefined) pending += 1;
    else included.push(image);
  }
  const groups = findNearDuplicateGroups(included);
  const result = { revision: state.revision, groups, members: new Set(groups.flat()), pending };
  computed.set(state, result);
  return result;
}

/** What a filter query of `state` needs beyond each image: its near-duplicates, on first use. */
export function queryContextOf(state: DatasetState): QueryContext {
  return { hasNearDuplicates: (image) => nearDuplicatesOf(state).members.has(image.id) };
}
