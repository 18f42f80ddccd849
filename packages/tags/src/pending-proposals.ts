import type { Proposal } from '@civtag/api-models';
import { foldTag } from './fold-tag.js';
import type { TaggableImage } from './taggable-image.js';

/**
 * The proposals of an image still waiting for a decision: those whose tag the image holds in no
 * form (compared by `foldTag`) and that were not rejected, in their stored order (highest score
 * first). Worked out from the tags each time, so a tag removed (or an accept undone) makes its
 * proposal pending again.
 */
export function pendingProposals(image: TaggableImage): Proposal[] {
  const proposals = image.proposals;
  if (proposals === undefined || proposals.length === 0) return [];
  const held = new Set(image.tags.map((tag) => foldTag(tag)));
  for (const folded of image.rejected ?? []) held.add(folded);
  return proposals.filter((proposal) => !held.has(foldTag(proposal.tag)));
}
