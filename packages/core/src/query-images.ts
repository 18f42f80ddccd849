import { CivtagError, ErrorCode, type ImagesPage } from '@civtag/api-models';
import { compileQuery, type QueryContext } from '@civtag/tags';
import type { ImageIndex } from './image-index.js';
import { toImageRecord } from './to-change.js';

/** How many images a page holds when no limit is given, and at most. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 5000;

/** What {@link queryImages} takes: a filter query, where to go on from, and a page size. */
export interface QueryOptions {
  /** A filter in the query language of `@civtag/tags`; every image when absent or blank. */
  q?: string;
  /** The `nextCursor` of the previous page; the first page when absent. */
  cursor?: string;
  /** Images per page, 1–5000; default 100. */
  limit?: number;
}

/**
 * One page of a dataset's images, in import order, matching `q`. The cursor is the position
 * after the last image of the page: images are only ever appended, so it stays valid across
 * edits.
 *
 * @throws CivtagError `VALIDATION` for a malformed query, cursor or limit.
 */
export function queryImages(
  index: ImageIndex,
  revision: number,
  options: QueryOptions,
  context: QueryContext = {},
): ImagesPage {
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new CivtagError(
      ErrorCode.VALIDATION,
      `The page limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, not ${limit}.`,
      {
        details: { field: 'limit', limit },
      },
    );
  }
  let start = 0;
  if (options.cursor !== undefined && options.cursor !== '') {
    if (!/^\d{1,12}$/.test(options.cursor)) {
      throw new CivtagError(
        ErrorCode.VALIDATION,
        `The cursor "${options.cursor}" is not one this dataset gave out; start from the first page.`,
        {
          details: { field: 'cursor' },
        },
      );
    }
    start = Number(options.cursor);
  }
  const q = options.q?.trim() ?? '';
  const matches = q === '' ? undefined : compileQuery(q, context);
  const images = [];
  let total = 0;
  let nextCursor: string | null = null;
  for (let position = 0; position < index.order.length; position += 1) {
    const image = index.order[position];
    if (image === undefined || (matches !== undefined && !matches(image))) continue;
    total += 1;
    if (position < start) continue;
    if (images.length < limit) images.push(toImageRecord(image));
    else if (nextCursor === null) nextCursor = String(position);
  }
  return { revision, images, nextCursor, total };
}

/**
 * The positions, in import order, of the images matching `q` (every image when blank): what
 * turns "the n-th match" into a cursor, without copying any record.
 *
 * @throws CivtagError `VALIDATION` for a malformed query.
 */
export function matchPositions(
  index: ImageIndex,
  q: string,
  context: QueryContext = {},
): Int32Array {
  const query = q.trim();
  if (query === '') return Int32Array.from(index.order.keys());
  const matches = compileQuery(query, context);
  const positions = new Int32Array(index.order.length);
  let count = 0;
  index.order.forEach((image, position) => {
    if (matches(image)) {
      positions[count] = position;
      count += 1;
    }
  });
  return positions.slice(0, count);
}
