import { describe, expect, it } from 'vitest';
import { buildBulkOp, parseScorePercent, splitTags } from './bulk-op.js';

const fields = { tags: '', position: 'end' as const, from: '', to: '' };

describe('bulk form to op', () => {
  it('splits comma-separated tags and drops empty entries', () => {
    expect(splitTags(' a, b ,, c ,')).toEqual(['a', 'b', 'c']);
  });

  it('builds a normalise of the target, which needs no tags', () => {
    expect(buildBulkOp('normalize', { all: true }, fields)).toEqual({
      type: 'normalize',
      target: { all: true },
    });
  });

  it('builds add (with its position), remove and replace ops on the target', () => {
    const target = { query: 'solo' };
    expect(buildBulkOp('add', target, { ...fields, tags: 'x, y', position: 'start' })).toEqual({
      type: 'add',
      target,
      tags: ['x', 'y'],
      position: 'start',
    });
    expect(buildBulkOp('remove', target, { ...fields, tags: 'x' })).toEqual({
      type: 'remove',
      target,
      tags: ['x'],
    });
    expect(buildBulkOp('replace', target, { ...fields, from: ' solo ', to: 'alone' })).toEqual({
      type: 'replace',
      target,
      from: 'solo',
      to: 'alone',
    });
  });

  it('builds an accept of the proposals scoring at least the percentage typed', () => {
    const target = { ids: ['a', 'b'] };
    expect(buildBulkOp('accept', target, { ...fields, minScore: '85' })).toEqual({
      type: 'accept-proposals',
      target,
      minScore: 0.85,
    });
    expect(buildBulkOp('accept', target, { ...fields, minScore: '' })).toBeNull();
    expect(buildBulkOp('accept', target, fields)).toBeNull();
  });

  it('reads a score percentage from 0 to 100 and refuses anything else', () => {
    expect(parseScorePercent(' 50 % ')).toBe(0.5);
    expect(parseScorePercent('0')).toBe(0);
    expect(parseScorePercent('100')).toBe(1);
    expect(parseScorePercent('100.5')).toBeNull();
    expect(parseScorePercent('-1')).toBeNull();
    expect(parseScorePercent('half')).toBeNull();
  });

  it('gives no op while the form is incomplete', () => {
    expect(buildBulkOp('add', { all: true }, fields)).toBeNull();
    expect(buildBulkOp('replace', { all: true }, { ...fields, from: 'a' })).toBeNull();
  });
});
