import { foldTag } from '@civtag/tags';

/** One tag of a previewed caption, and what the op did to it. */
export type SampleTag =
  | { kind: 'kept'; tag: string }
  | { kind: 'added'; tag: string }
  /** The same tag in a new form (`Blue eyes` → `blue eyes`): shown in place, old form struck. */
  | { kind: 'restyled'; tag: string; from: string };

/**
 * How a previewed caption differs from the one before, tag by tag in the new order: kept, added,
 * or restyled (another form of a tag it had, as a normalise or a rename of case gives); and the
 * tags removed outright. Forms are matched by `foldTag`, the rule every op compares by.
 */
export function diffSampleTags(
  before: readonly string[],
  after: readonly string[],
): { tags: SampleTag[]; removed: string[] } {
  const kept = new Set(before);
  const leaving = new Map<string, string>();
  for (const tag of before) if (!after.includes(tag)) leaving.set(foldTag(tag), tag);
  const tags = after.map((tag): SampleTag => {
    if (kept.has(tag)) return { kind: 'kept', tag };
    const from = leaving.get(foldTag(tag));
    if (from === undefined) return { kind: 'added', tag };
    leaving.delete(foldTag(tag));
    return { kind: 'restyled', tag, from };
  });
  return { tags, removed: [...leaving.values()] };
}
