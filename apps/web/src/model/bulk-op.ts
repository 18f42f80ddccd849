import type { TagOp, Target } from '@civtag/api-models';

/**
 * What the bulk panel can do to many images at once; `normalize` brings their tags to the
 * dataset's tag style and one form per tag; `accept` makes their pending proposals scoring at
 * least a given percentage tags; `pattern` renames every tag a regular expression matches;
 * `clear` removes every tag but the trigger word.
 */
export type BulkAction =
  | 'add'
  | 'remove'
  | 'replace'
  | 'pattern'
  | 'normalize'
  | 'accept'
  | 'clear';

/** The bulk form as typed: tags comma-separated, and the two sides of a rename. */
export interface BulkFields {
  tags: string;
  position: 'start' | 'end';
  from: string;
  to: string;
  /** The lowest score (a percentage, 0–100) of the proposals `accept` accepts. */
  minScore?: string;
}

/** A typed percentage (`85`, ` 85 %`, `85.5`) as a score 0–1, or `null` when it is not one. */
export function parseScorePercent(text: string): number | null {
  const trimmed = text.trim().replace(/\s*%$/, '');
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  const percent = Number(trimmed);
  return percent > 100 ? null : percent / 100;
}

/** Splits `a, b ,, c` into `['a', 'b', 'c']`; the tag rules themselves are `@civtag/tags`'. */
export function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/**
 * The op the bulk form describes, or `null` while it is incomplete. `pattern` needs the renames
 * worked out over the tags in scope (`patternRenames`), which `renames` brings; `clear` depends
 * on the images' tags, not on the form: `planClearTags` builds it.
 */
export function buildBulkOp(
  action: BulkAction,
  target: Target,
  fields: BulkFields,
  renames?: readonly { from: string; to: string }[],
): TagOp | null {
  if (action === 'clear') return null;
  if (action === 'normalize') return { type: 'normalize', target };
  if (action === 'pattern') {
    return renames === undefined || renames.length === 0
      ? null
      : { type: 'rename-tags', target, renames: [...renames] };
  }
  if (action === 'accept') {
    const minScore = parseScorePercent(fields.minScore ?? '');
    return minScore === null ? null : { type: 'accept-proposals', target, minScore };
  }
  if (action === 'replace') {
    const from = fields.from.trim();
    const to = fields.to.trim();
    return from === '' || to === '' ? null : { type: 'replace', target, from, to };
  }
  const tags = splitTags(fields.tags);
  if (tags.length === 0) return null;
  return action === 'add'
    ? { type: 'add', target, tags, position: fields.position }
    : { type: 'remove', target, tags };
}
