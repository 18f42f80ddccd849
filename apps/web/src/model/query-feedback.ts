import { CivtagError, ErrorCode } from '@civtag/api-models';
import { parseQuery } from '@civtag/tags';

/** What the filter box shows under a query. */
export type QueryFeedback =
  | { valid: true }
  | {
      valid: false;
      message: string;
      /** Character offset of the error in the query (clamped to its length). */
      position: number;
      /** The query split around the error, to underline it where it is. */
      before: string;
      at: string;
      after: string;
    };

/**
 * Checks a filter query with `parseQuery` from `@civtag/tags` and, when it is wrong, says
 * where: the `VALIDATION` error's `details.position`.
 *
 * @throws whatever `parseQuery` throws other than a `VALIDATION` error (a bug, not a typo).
 */
export function checkQuery(text: string): QueryFeedback {
  if (text.trim() === '') return { valid: true };
  try {
    parseQuery(text);
    return { valid: true };
  } catch (error) {
    if (!CivtagError.hasCode(error, ErrorCode.VALIDATION)) throw error;
    const raw = error.details?.position;
    const problem = error.details?.problem;
    const position = Math.max(
      0,
      Math.min(text.length, typeof raw === 'number' ? raw : text.length),
    );
    return {
      valid: false,
      message:
        typeof problem === 'string' ? problem : (error.message.split('\n')[0] ?? error.message),
      position,
      before: text.slice(0, position),
      at: text.slice(position, position + 1) || ' ',
      after: text.slice(position + 1),
    };
  }
}
