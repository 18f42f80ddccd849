import { describe, expect, it } from 'vitest';
import { encodeJournalLine } from './journal-line.js';
import { scanJournal } from './scan-journal.js';

const lines = [1, 2, 3].map((rev) => encodeJournalLine({ rev, entry: { n: rev } }));

describe('scanJournal', () => {
  it('reads every good line', () => {
    const scan = scanJournal(Buffer.from(lines.join('')), 'journal.jsonl');
    expect(scan.records.map((record) => [record.line, record.record.rev])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(scan.tornBytes).toBe(0);
  });

  it('reports a last line without its newline as torn, and where the good part ends', () => {
    const good = lines.slice(0, 2).join('');
    const scan = scanJournal(Buffer.from(good + (lines[2] as string).slice(0, 10)), 'j');
    expect(scan.records).toHaveLength(2);
    expect(scan.goodBytes).toBe(Buffer.byteLength(good));
    expect(scan.tornBytes).toBe(10);
  });

  it('reports a last line of zeros (a crash before the data reached the disk) as torn', () => {
    const scan = scanJournal(
      Buffer.concat([Buffer.from(lines[0] as string), Buffer.alloc(64)]),
      'j',
    );
    expect(scan.records).toHaveLength(1);
    expect(scan.tornBytes).toBe(64);
  });

  it('refuses a bad line followed by a good one', () => {
    const text = [lines[0], 'garbage\n', lines[2]].join('');
    expect(() => scanJournal(Buffer.from(text), 'j')).toThrow(
      expect.objectContaining({
        code: 'SESSION_CORRUPT',
        details: { file: 'j', line: 2, field: 'crc' },
      }),
    );
  });

  it('refuses two bad lines at the end, which one crash cannot explain', () => {
    const text = [lines[0], 'garbage\n', 'more'].join('');
    expect(() => scanJournal(Buffer.from(text), 'j')).toThrow(
      expect.objectContaining({ details: { file: 'j', line: 2, field: 'crc' } }),
    );
  });

  it('reads an empty journal as no records', () => {
    expect(scanJournal(Buffer.alloc(0), 'j')).toEqual({ records: [], goodBytes: 0, tornBytes: 0 });
  });
});
