import type { TagOp, Target } from '@civtag/api-models';

/**
 * What the bulk panel can do to many images at once; `normalize` brings their tags to the
 * dataset's tag style and one form per tag.
 */
export type BulkAction = 'add' | 'remove' | 'replace' | 'normalize';

/** The bulk form as typed: tags comma-separated, and the two sides of a rename. */
export interface BulkFields {
  tags: string;
  position: 'start' | 'end';
  from: string;
  to: string;
}

/** Splits `a, b ,, c` into `['a', 'b', 'c']`; the tag rules themselves are `@civtag/tags`'. */
export function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/** The op the bulk form describes, or `null` while it is incomplete. */
export function buildBulkOp(action: BulkAction, target: Target, fields: BulkFields): TagOp | null {
  if (action === 'normalize') return { type: 'normalize', target };
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
