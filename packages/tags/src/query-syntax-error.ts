import { CivtagError, ErrorCode } from '@civtag/api-models';

const CONTEXT = 30;

/**
 * A `VALIDATION` error for a filter query that cannot be read. `details.position` is the
 * 0-based offset of the problem; the message shows the query with a caret under that place:
 *
 * ```
 * Filter query error at column 10: expected a tag after "AND".
 *   solo AND )
 *            ^
 * ```
 */
export function querySyntaxError(query: string, position: number, problem: string): CivtagError {
  const start = Math.max(0, position - CONTEXT);
  const end = Math.min(query.length, position + CONTEXT);
  const lead = start > 0 ? '…' : '';
  const tail = end < query.length ? '…' : '';
  // Tabs and line breaks would shift the caret; they show as spaces.
  const excerpt = query.slice(start, end).replace(/\s/g, ' ');
  const caret = ' '.repeat(lead.length + position - start);
  return new CivtagError(
    ErrorCode.VALIDATION,
    `Filter query error at column ${position + 1}: ${problem}.\n  ${lead}${excerpt}${tail}\n  ${caret}^`,
    { details: { position, problem } },
  );
}
