import {
  parseOrThrow,
  type TagCount,
  TagCountSchema,
  type TagsResponse,
  TagsResponseSchema,
} from '@civtag/api-models';
import { mapInSlices, type YieldToMain } from './sliced-work.js';

/**
 * Tag counts checked between two yields. The tag list of 100,000 images (tens of thousands of
 * distinct tags) took some 25 ms of CPU to check in one task, just as the first rows were drawn.
 */
const TAGS_PER_SLICE = 2_000;

export interface TagsResponseParseOptions {
  /** What the answer is, for the error's message (`Loading the tag list answer`). */
  what: string;
  /** How to wait between slices of tags; default `yieldToMain`. */
  yieldToMain?: YieldToMain;
}

/**
 * Checks a `GET /api/tags` answer against `TagsResponseSchema` a slice of tag counts at a time,
 * yielding the main thread between slices, so that a long tag list arriving while the grid is
 * scrolled does not hold a frame back.
 * @throws CivtagError `VALIDATION` naming the field (and the entry) that is not as expected.
 */
export async function parseTagsResponse(
  body: unknown,
  options: TagsResponseParseOptions,
): Promise<TagsResponse> {
  const { what } = options;
  const { tags, matching } = (body ?? {}) as { tags?: unknown; matching?: unknown };
  if (
    typeof body !== 'object' ||
    body === null ||
    !Array.isArray(tags) ||
    (matching !== undefined && !Array.isArray(matching))
  ) {
    // Not the shape of a tag list at all: the schema says what is wrong.
    return parseOrThrow(TagsResponseSchema, body, what);
  }
  // The answer's own fields first, then each list slice by slice.
  const response: TagsResponse = parseOrThrow(
    TagsResponseSchema,
    { ...body, tags: [], ...(matching === undefined ? {} : { matching: [] }) },
    what,
  );
  const checkList = (list: readonly unknown[], field: string): Promise<TagCount[]> =>
    mapInSlices(
      list,
      (entry, index) => parseOrThrow(TagCountSchema, entry, `${what} (${field}.${index})`),
      { sliceSize: TAGS_PER_SLICE, yieldToMain: options.yieldToMain },
    );
  response.tags = await checkList(tags, 'tags');
  if (Array.isArray(matching)) response.matching = await checkList(matching, 'matching');
  return response;
}
