import type { Settings, SettingsChanges, TagOp } from '@civtag/api-models';
import {
  applyTagOp,
  type ImageTagChange,
  normalizeTag,
  type QueryContext,
  type TaggableImage,
  tagOpOptions,
} from '@civtag/tags';

/** What an op does to a dataset: its tag changes, the ops that undo it, and new settings. */
export interface DatasetOpResult {
  changes: ImageTagChange[];
  inverse: TagOp[];
  /** The settings after the op, when it changed them. */
  settings?: Settings;
}

/**
 * Applies an op with the dataset's settings (trigger word, tag style) the way `applyTagOp`
 * does, and for a `settings` op also works out the new settings; its inverse then starts with
 * a `settings` op that puts the old values back, so that undo restores settings and tags.
 * `restoring` is for undo and redo steps (tags taken exactly as written); `queryContext` answers
 * what a `{ query }` target asks of the whole dataset (`has:near-duplicates`).
 *
 * @throws CivtagError as `applyTagOp` does.
 */
export function applyDatasetOp(
  images: ReadonlyMap<string, TaggableImage>,
  op: TagOp,
  settings: Settings,
  options: { restoring: boolean; queryContext?: QueryContext },
): DatasetOpResult {
  const tagOptions = tagOpOptions(settings, options.restoring);
  if (options.queryContext !== undefined) tagOptions.queryContext = options.queryContext;
  const result = applyTagOp(images, op, tagOptions);
  if (op.type !== 'settings') return result;
  const { next, previous } = changedSettings(settings, op.changes);
  if (next === undefined) return result;
  return {
    changes: result.changes,
    inverse: [{ type: 'settings', changes: previous }, ...result.inverse],
    settings: next,
  };
}

/** The settings after `changes`, and the old values of what changed; `next` is absent when nothing did. */
function changedSettings(
  settings: Settings,
  changes: SettingsChanges,
): { next: Settings | undefined; previous: SettingsChanges } {
  const next: Settings = { ...settings, tagStyle: { ...settings.tagStyle } };
  const previous: SettingsChanges = {};
  let changed = false;
  if (changes.triggerWord !== undefined) {
    const wanted = changes.triggerWord === null ? undefined : normalizeTag(changes.triggerWord);
    if (wanted !== settings.triggerWord) {
      previous.triggerWord = settings.triggerWord ?? null;
      if (wanted === undefined) delete next.triggerWord;
      else next.triggerWord = wanted;
      changed = true;
    }
  }
  if (changes.prefix !== undefined && changes.prefix !== settings.prefix) {
    previous.prefix = settings.prefix;
    next.prefix = changes.prefix;
    changed = true;
  }
  const style = changes.tagStyle;
  if (
    style !== undefined &&
    (style.separator !== settings.tagStyle.separator ||
      style.escapeParentheses !== settings.tagStyle.escapeParentheses)
  ) {
    previous.tagStyle = { ...settings.tagStyle };
    next.tagStyle = { ...style };
    changed = true;
  }
  if (changes.kohyaRepeats !== undefined && changes.kohyaRepeats !== settings.kohyaRepeats) {
    previous.kohyaRepeats = settings.kohyaRepeats;
    next.kohyaRepeats = changes.kohyaRepeats;
    changed = true;
  }
  return { next: changed ? next : undefined, previous };
}
