import type { NormalizeOp, TagOp, TagStyle } from '@civtag/api-models';
import { foldTag } from './fold-tag.js';
import { tagChange } from './image-change.js';
import { resolveTarget } from './resolve-target.js';
import type { TagContext } from './tag-context.js';
import { restoreTagsOps, sameTags } from './tag-list.js';
import { styleTag } from './tag-style.js';
import type { ImageTagChange, TaggableImage, TagOpResult } from './taggable-image.js';

/**
 * Rewrites the tags of the target images to one form per tag: each in the tag style, and
 * forms that fold together merged into the form most used among the targets (ties: the one
 * seen first). The trigger word keeps its exact form. An image that held two forms of one tag
 * keeps it once, at the first one's place. The inverse restores each changed image exactly.
 */
export function applyNormalize(
  images: ReadonlyMap<string, TaggableImage>,
  op: NormalizeOp,
  context: TagContext,
): TagOpResult {
  const targets = resolveTarget(images, op.target);
  const canonical = canonicalForms(targets, context);
  const changes: ImageTagChange[] = [];
  const inverse: TagOp[] = [];
  for (const image of targets) {
    const after = normalizedTags(image.tags, canonical);
    if (sameTags(after, image.tags)) continue;
    changes.push(tagChange(image, after));
    inverse.push(...restoreTagsOps(image.id, image.tags, context.triggerWord));
  }
  return { changes, inverse };
}

/** Per fold, the form a normalized tag takes. */
function canonicalForms(
  images: readonly TaggableImage[],
  context: TagContext,
): Map<string, string> {
  const { triggerWord, tagStyle } = context;
  const uses = new Map<string, Map<string, number>>();
  for (const image of images) {
    for (const tag of image.tags) {
      const form = styledForm(tag, tagStyle, triggerWord);
      const folded = foldTag(form);
      let forms = uses.get(folded);
      if (forms === undefined) {
        forms = new Map();
        uses.set(folded, forms);
      }
      forms.set(form, (forms.get(form) ?? 0) + 1);
    }
  }
  const canonical = new Map<string, string>();
  for (const [folded, forms] of uses) {
    let best = '';
    let bestCount = 0;
    for (const [form, count] of forms) {
      if (count > bestCount) {
        best = form;
        bestCount = count;
      }
    }
    canonical.set(folded, best);
  }
  if (triggerWord !== undefined) canonical.set(foldTag(triggerWord), triggerWord);
  return canonical;
}

function styledForm(tag: string, style: TagStyle | undefined, triggerWord: string | undefined) {
  if (tag === triggerWord || style === undefined) return tag;
  return styleTag(tag, style);
}

function normalizedTags(tags: readonly string[], canonical: ReadonlyMap<string, string>): string[] {
  const seen = new Set<string>();
  const after: string[] = [];
  for (const tag of tags) {
    const folded = foldTag(tag);
    if (seen.has(folded)) continue;
    seen.add(folded);
    after.push(canonical.get(folded) ?? tag);
  }
  return after;
}
