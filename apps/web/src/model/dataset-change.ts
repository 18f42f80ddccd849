import type { Change, DatasetResponse } from '@civtag/api-models';

/**
 * The dataset as it stands after a change from the feed: its revision, its image count with the
 * images the change added, and its settings when the change altered them (a trigger word or tag
 * style set in another tab), so every view that reads the settings follows at once.
 */
export function applyChangeToDataset(dataset: DatasetResponse, change: Change): DatasetResponse {
  const added = change.added?.length ?? 0;
  return {
    ...dataset,
    revision: Math.max(dataset.revision, change.revision),
    imageCount: dataset.imageCount + added,
    ...(change.settings === undefined ? {} : { settings: change.settings }),
  };
}
