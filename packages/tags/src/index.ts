export { applyTagOp } from './apply-tag-op.js';
export {
  type CaptionStyle,
  captionStyle,
  captionText,
  captionToFormat,
} from './caption-style.js';
export {
  compileNode,
  compileQuery,
  type ImagePredicate,
  type QueryContext,
} from './compile-query.js';
export { foldTag } from './fold-tag.js';
export { type CaptionContent, formatCaption, formatTag } from './format-caption.js';
export { formatQuery, formatTagTerm } from './format-query.js';
export { KAOMOJI_TAGS } from './kaomoji.js';
export { findTagProblem, normalizeTag, tryNormalizeTag } from './normalize-tag.js';
export { type ParsedCaption, parseCaption } from './parse-caption.js';
export { parseQuery } from './parse-query.js';
export { pendingProposals } from './pending-proposals.js';
export { promptToTags } from './prompt-to-tags.js';
export { isUntagged } from './proposal-ops.js';
export type { HasWhat, QueryNode, TagCountOperator } from './query-node.js';
export { type SuggestionSources, suggestTags, type TagSuggestion } from './suggest-tags.js';
export { type TagCategoryName, tagCategoryName } from './tag-category.js';
export { tagOpOptions } from './tag-op-options.js';
export {
  type SearchableTag,
  type TagSearchHit,
  TagSearchIndex,
} from './tag-search-index.js';
export { type TagCountEntry, TagStats, type TagStatsOptions } from './tag-stats.js';
export { detectTagStyle, styleTag } from './tag-style.js';
export type {
  ApplyTagOpOptions,
  ImageTagChange,
  ImageTagState,
  TaggableImage,
  TagOpResult,
} from './taggable-image.js';
export { parseVocabularyCsv, type VocabularyEntry } from './vocabulary-csv.js';
