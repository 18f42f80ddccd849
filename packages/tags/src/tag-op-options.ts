import type { Settings } from '@civtag/api-models';
import type { ApplyTagOpOptions } from './taggable-image.js';

/**
 * The options `applyTagOp` takes for a dataset with these settings (its trigger word and tag
 * style), so that a preview applies an op exactly as the dataset will.
 *
 * @example applyTagOp(images, { type: 'normalize', target: { all: true } }, tagOpOptions(settings)).changes.length // images that will change
 */
export function tagOpOptions(
  settings: Pick<Settings, 'triggerWord' | 'tagStyle'>,
  restoring = false,
): ApplyTagOpOptions {
  const options: ApplyTagOpOptions = { tagStyle: settings.tagStyle };
  if (settings.triggerWord !== undefined) options.triggerWord = settings.triggerWord;
  if (restoring) options.restoring = true;
  return options;
}
