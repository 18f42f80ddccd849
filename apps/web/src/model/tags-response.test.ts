import { CivtagError, ErrorCode, type TagCount } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { parseTagsResponse } from './tags-response.js';

const WHAT = 'Loading the tag list answer';

function counts(length: number, prefix = 'tag'): TagCount[] {
  return Array.from({ length }, (_, index) => ({
    tag: `${prefix} ${index}`,
    count: length - index,
    ...(index % 3 === 0 ? { category: index % 6 } : {}),
  }));
}

/** An answer as it comes off the wire: parsed from JSON text, so nothing is shared. */
function wire(answer: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(answer));
}

/** Expects `promise` to reject with a `VALIDATION` error whose message matches `message`. */
async function expectInvalid(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(CivtagError);
  await expect(promise).rejects.toMatchObject({
    code: ErrorCode.VALIDATION,
    message: expect.stringMatching(message),
  });
}

describe('parseTagsResponse', () => {
  it('reads 5,000 tag counts in three slices, yielding between them', async () => {
    const tags = counts(5_000);
    let yields = 0;
    const answer = await parseTagsResponse(wire({ revision: 4, tags }), {
      what: WHAT,
      yieldToMain: async () => {
        yields += 1;
      },
    });
    expect(answer).toEqual({ revision: 4, tags });
    expect(yields).toBe(2);
  });

  it('reads the counts among a filter’s images too, each list in its slices', async () => {
    const tags = counts(2_500);
    const matching = counts(2_001, 'shown');
    let yields = 0;
    const answer = await parseTagsResponse(wire({ revision: 7, tags, matching }), {
      what: WHAT,
      yieldToMain: async () => {
        yields += 1;
      },
    });
    expect(answer).toEqual({ revision: 7, tags, matching });
    expect(yields).toBe(2);
  });

  it('names the list and the entry that is not as expected', async () => {
    const tags: unknown[] = counts(3_000);
    tags[2_345] = { tag: 'long hair', count: -1 };
    await expectInvalid(
      parseTagsResponse(wire({ revision: 1, tags }), { what: WHAT }),
      /^Invalid Loading the tag list answer \(tags\.2345\): count/,
    );

    const matching: unknown[] = counts(10);
    matching[3] = { tag: 5, count: 1 };
    await expectInvalid(
      parseTagsResponse(wire({ revision: 1, tags: counts(10), matching }), { what: WHAT }),
      /^Invalid Loading the tag list answer \(matching\.3\): tag/,
    );
  });

  it('names the field of the answer itself that is not as expected', async () => {
    await expectInvalid(
      parseTagsResponse(wire({ revision: 'one', tags: counts(3) }), { what: WHAT }),
      /^Invalid Loading the tag list answer: revision/,
    );
  });

  it('refuses an answer that is not a tag list at all', async () => {
    for (const body of [
      null,
      'tags',
      [],
      { revision: 1, tags: 'long hair' },
      { revision: 1, tags: [], matching: 'long hair' },
    ]) {
      await expectInvalid(
        parseTagsResponse(body, { what: WHAT }),
        /^Invalid Loading the tag list answer/,
      );
    }
  });
});
