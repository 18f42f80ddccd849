import { CivtagError, ErrorCode, type ImageRecord } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { parseImagesPage } from './images-page.js';
import { TagInterner } from './tag-interner.js';

function record(index: number): ImageRecord {
  const id = `img${String(index).padStart(5, '0')}`;
  return {
    id,
    file: `${id}.png`,
    hash: `h${index}`,
    width: 512,
    height: 512,
    format: 'png',
    tags: ['long hair', `tag ${index % 7}`],
    rev: 1,
    excluded: false,
  };
}

/** A page as it comes off the wire: parsed from JSON text, so nothing is shared with `records`. */
function wirePage(records: unknown[], extra: Record<string, unknown> = {}): unknown {
  return JSON.parse(JSON.stringify({ revision: 9, images: records, nextCursor: null, ...extra }));
}

async function rejection(promise: Promise<unknown>): Promise<CivtagError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CivtagError);
  return error as CivtagError;
}

describe('parseImagesPage', () => {
  it('reads a page of 250 records in three slices, with one string per distinct tag', async () => {
    const records = Array.from({ length: 250 }, (_, index) => record(index));
    const tags = new TagInterner();
    let yields = 0;
    const page = await parseImagesPage(wirePage(records, { total: 1000 }), {
      what: 'Loading images answer',
      tags,
      yieldToMain: async () => {
        yields += 1;
      },
    });
    expect(page).toEqual({ revision: 9, images: records, nextCursor: null, total: 1000 });
    expect(yields).toBe(2);
    expect(tags.size).toBe(8);
  });

  it('names the record and the field of a record that is not as expected', async () => {
    const records: unknown[] = Array.from({ length: 150 }, (_, index) => record(index));
    records[120] = { ...record(120), tags: 'long hair' };
    const error = await rejection(
      parseImagesPage(wirePage(records), {
        what: 'Loading images answer',
        tags: new TagInterner(),
      }),
    );
    expect(error.code).toBe(ErrorCode.VALIDATION);
    expect(error.message).toMatch(/^Invalid Loading images answer \(images\.120\): tags/);
  });

  it('names the field of the page itself that is not as expected', async () => {
    const error = await rejection(
      parseImagesPage(wirePage([record(0)], { revision: -1 }), {
        what: 'Loading images answer',
        tags: new TagInterner(),
      }),
    );
    expect(error.code).toBe(ErrorCode.VALIDATION);
    expect(error.message).toMatch(/^Invalid Loading images answer: revision/);
  });

  it('refuses an answer that is not a page at all', async () => {
    for (const body of [null, 'images', { revision: 1, images: 'none', nextCursor: null }]) {
      const error = await rejection(
        parseImagesPage(body, { what: 'Loading images answer', tags: new TagInterner() }),
      );
      expect(error.code).toBe(ErrorCode.VALIDATION);
    }
  });

  it('stops checking records once the page is no longer wanted', async () => {
    const controller = new AbortController();
    const records = Array.from({ length: 300 }, (_, index) => record(index));
    let yields = 0;
    const parsing = parseImagesPage(wirePage(records), {
      what: 'Loading images answer',
      tags: new TagInterner(),
      signal: controller.signal,
      yieldToMain: async () => {
        yields += 1;
        controller.abort(new Error('scrolled away'));
      },
    });
    await expect(parsing).rejects.toThrow('scrolled away');
    expect(yields).toBe(1);
  });
});
