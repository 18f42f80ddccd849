import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Hex } from './crc32.js';
import {
  decodeJournalLine,
  encodeJournalLine,
  isBatchRecord,
  isLineProblem,
} from './journal-line.js';

const entries = fc.jsonValue().filter((value) => value !== null);
const id = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/);
const keys = fc.option(fc.record({ clientId: id, opId: id }), { nil: undefined });

describe('journal lines', () => {
  it('is one line of JSON ending in a checksum', () => {
    const line = encodeJournalLine({ rev: 3, entry: { type: 'push', value: 'a\nb' } });
    expect(line).toMatch(
      /^\{"rev":3,"entry":\{"type":"push","value":"a\\nb"\},"crc":"[0-9a-f]{8}"\}\n$/,
    );
    expect(line.indexOf('\n')).toBe(line.length - 1);
  });

  it('reads back what it wrote', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), entries, keys, (rev, entry, key) => {
        const line = encodeJournalLine(key === undefined ? { rev, entry } : { rev, entry, key });
        const decoded = decodeJournalLine(line.slice(0, -1));
        const expected = key === undefined ? { rev, entry } : { rev, entry, key };
        expect(decoded).toEqual(JSON.parse(JSON.stringify(expected)));
      }),
    );
  });

  it('notices any single changed or cut character', () => {
    fc.assert(
      fc.property(entries, fc.nat(), fc.boolean(), (entry, at, cut) => {
        const text = encodeJournalLine({ rev: 1, entry }).slice(0, -1);
        const index = at % text.length;
        const damaged = cut
          ? text.slice(0, index)
          : text.slice(0, index) + (text[index] === 'x' ? 'y' : 'x') + text.slice(index + 1);
        expect(isLineProblem(decodeJournalLine(damaged))).toBe(true);
      }),
    );
  });

  it('reads back a batch line as a batch, and refuses a line with both an entry and entries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.array(entries, { minLength: 1 }),
        (rev, batch) => {
          const decoded = decodeJournalLine(
            encodeJournalLine({ rev, entries: batch }).slice(0, -1),
          );
          expect(isLineProblem(decoded) ? decoded : isBatchRecord(decoded)).toBe(true);
          expect(decoded).toEqual(JSON.parse(JSON.stringify({ rev, entries: batch })));
        },
      ),
    );
    const both = encodeJournalLine({ rev: 1, entry: 1 }).replace(
      '"entry":1',
      '"entry":1,"entries":[1]',
    );
    const body = both.slice(0, both.indexOf(',"crc"'));
    const line = encodeJournalLine({ rev: 1, entries: [1] });
    expect(decodeJournalLine(line.slice(0, -1))).toEqual({ rev: 1, entries: [1] });
    // Re-encoded with a valid checksum, so that only the shape is at fault.
    const relined = `${body},"crc":"${crc32Hex(`${body}}`)}"}`;
    expect(decodeJournalLine(relined)).toMatchObject({ field: 'entries' });
    expect(
      decodeJournalLine(encodeJournalLine({ rev: 1, entries: [] }).slice(0, -1)),
    ).toMatchObject({
      field: 'entries',
    });
  });

  it('names the field of a line that checks out but is not a record', () => {
    const line = encodeJournalLine({ rev: 0, entry: 1 }).slice(0, -1);
    expect(decodeJournalLine(line)).toMatchObject({ field: 'rev' });
  });
});
