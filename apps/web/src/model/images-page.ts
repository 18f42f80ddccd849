import {
  type ImageRecord,
  ImageRecordSchema,
  type ImagesPage,
  ImagesPageSchema,
  parseOrThrow,
} from '@civtag/api-models';
import { mapInSlices, type YieldToMain } from './sliced-work.js';
import type { TagInterner } from './tag-interner.js';

/** Records checked between two yields: a 500-record page took 10–30 ms of CPU in one task. */
const RECORDS_PER_SLICE = 100;

export interface ImagesPageParseOptions {
  /** What the answer is, for the error's message (`Loading images answer`). */
  what: string;
  /** Where the records' tags are kept, one string per distinct tag. */
  tags: TagInterner;
  /** Stops checking once aborted (the rows scrolled away); rejects with the signal's reason. */
  signal?: AbortSignal;
  /** How to wait between slices of records; default `yieldToMain`. */
  yieldToMain?: YieldToMain;
}

/**
 * Checks a `GET /api/images` answer against `ImagesPageSchema` a slice of records at a time,
 * yielding the main thread between slices, so that a page arriving while the grid scrolls does
 * not hold a frame back; each record's tags are interned (`TagInterner`).
 * @throws CivtagError `VALIDATION` naming the field (and the record) that is not as expected.
 */
export async function parseImagesPage(
  body: unknown,
  options: ImagesPageParseOptions,
): Promise<ImagesPage> {
  const { what, tags } = options;
  const images = (body as { images?: unknown } | null)?.images;
  if (typeof body !== 'object' || body === null || !Array.isArray(images)) {
    // Not the shape of a page at all: the schema says what is wrong.
    return parseOrThrow(ImagesPageSchema, body, what);
  }
  // The page's own fields (revision, cursor, total) first, then its records slice by slice.
  const page: ImagesPage = parseOrThrow(ImagesPageSchema, { ...body, images: [] }, what);
  const checkRecord = (record: unknown, index: number): ImageRecord => {
    const checked = parseOrThrow(ImageRecordSchema, record, `${what} (images.${index})`);
    tags.intern(checked.tags);
    return checked;
  };
  page.images = await mapInSlices(images, checkRecord, {
    sliceSize: RECORDS_PER_SLICE,
    signal: options.signal,
    yieldToMain: options.yieldToMain,
  });
  return page;
}
