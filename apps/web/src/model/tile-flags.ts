import { type ImageRecord, Limits } from '@civtag/api-models';
import { pendingOf } from './proposal-view.js';

/** A problem a tile shows at a glance. */
export interface TileFlag {
  kind: 'no-tags' | 'too-small' | 'excluded' | 'proposals';
  /** A short label on the tile. */
  label: string;
  /** The full sentence for the tooltip and screen readers. */
  description: string;
}

/** The problems of one image worth a badge on its tile, and its proposals waiting for a decision. */
export function tileFlags(
  image: Pick<ImageRecord, 'tags' | 'width' | 'height' | 'excluded'> &
    Partial<Pick<ImageRecord, 'proposals'>>,
): TileFlag[] {
  const flags: TileFlag[] = [];
  if (image.excluded) {
    flags.push({
      kind: 'excluded',
      label: 'excluded',
      description: 'Excluded from training and export',
    });
  }
  if (image.tags.length === 0) {
    flags.push({
      kind: 'no-tags',
      label: 'no tags',
      description: 'No tags: no caption file is written',
    });
  }
  const smallest = Math.min(image.width, image.height);
  if (smallest < Limits.minImageSide) {
    flags.push({
      kind: 'too-small',
      label: `${image.width}×${image.height}`,
      description: `Too small to train on: the smaller side is under ${Limits.minImageSide} px`,
    });
  }
  const pending = pendingOf(image).length;
  if (pending > 0) {
    flags.push({
      kind: 'proposals',
      label: `${pending} proposed`,
      description: `${pending} proposed ${pending === 1 ? 'tag' : 'tags'} to review`,
    });
  }
  return flags;
}
