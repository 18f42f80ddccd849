import { foldTag } from './fold-tag.js';
import { findTagProblem, quoteForMessage, tryNormalizeTag } from './normalize-tag.js';

/** A caption file, read. */
export interface ParsedCaption {
  /**
   * The tags of the first line, normalised and unescaped, one per fold: `blue_eyes, Blue eyes`
   * keeps `blue_eyes` (see `foldTag`).
   */
  tags: string[];
  /** Every line after the first, verbatim (kohya's wildcard alternatives); trailing blank lines dropped. */
  extraLines: string[];
  /** What was dropped or repaired while reading, in words; empty for a clean file. */
  warnings: string[];
}

const LINE_BREAK = /\r\n|\r|\n/;
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Reads the text of a caption file the forgiving way kohya sd-scripts and booru taggers
 * produce them: a byte-order mark, CRLF line ends, stray spaces, empty entries and trailing
 * commas are accepted; `\(` and `\)` become plain parentheses; a duplicate tag, or another
 * form of one (`blue eyes` after `blue_eyes`), keeps its first place. Lines after the first are kept verbatim so that writing the caption back
 * loses nothing.
 *
 * Never throws: an entry that cannot be a tag (too long, a control character) is left out
 * and reported in `warnings`.
 *
 * @example parseCaption('\uFEFF1girl, solo,, photo \\(medium\\),\r\n') // tags: ['1girl', 'solo', 'photo (medium)']
 */
export function parseCaption(text: string): ParsedCaption {
  const withoutMark = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  const lines = withoutMark.split(LINE_BREAK);
  const firstLine = lines[0] ?? '';
  const extraLines = lines.slice(1);
  while (extraLines.length > 0 && extraLines[extraLines.length - 1]?.trim() === '')
    extraLines.pop();

  const warnings: string[] = [];
  const tags: string[] = [];
  const seen = new Map<string, string>();
  for (const entry of firstLine.split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const tag = tryNormalizeTag(trimmed);
    if (tag === undefined) {
      warnings.push(`Left out ${quoteForMessage(trimmed)}: ${findTagProblem(trimmed)}.`);
      continue;
    }
    const folded = foldTag(tag);
    const first = seen.get(folded);
    if (first !== undefined) {
      warnings.push(
        first === tag
          ? `Left out the duplicate tag ${quoteForMessage(tag)} (its first place is kept).`
          : `Left out ${quoteForMessage(tag)}: it is the tag ${quoteForMessage(first)} in another form (its first place is kept).`,
      );
      continue;
    }
    seen.set(folded, tag);
    tags.push(tag);
  }
  return { tags, extraLines, warnings };
}
