export { KAOMOJI_TAGS, toCaptionTag } from './caption-tag.js';
export { TaggerError } from './errors.js';
export { type LoadTaggerOptions, loadTagger, MODEL_FILE, TAGS_FILE } from './load-tagger.js';
export type { ImageSource } from './preprocess-image.js';
export {
  createTagSelector,
  DEFAULT_THRESHOLDS,
  mcutThreshold,
  type RatingScore,
  selectTags,
  type TagProposal,
  type TagSelectionOptions,
  type TagSelector,
  type Threshold,
} from './select-tags.js';
export { parseSelectedTagsCsv, type TagCategory, type TaggerLabel } from './selected-tags-csv.js';
export {
  DEFAULT_BATCH_SIZE,
  DEFAULT_BATCHES_IN_FLIGHT,
  type TagImageResult,
  type TagImagesOptions,
  type TagProgress,
} from './tag-images.js';
export type { Tagger } from './tagger.js';
