import { describe, expect, it } from 'vitest';
import { TagInterner } from './tag-interner.js';

describe('TagInterner', () => {
  it('keeps one string per distinct tag and leaves each list as it was', () => {
    const interner = new TagInterner();
    const first = ['long hair', 'smile'];
    const second = JSON.parse('["smile", "long hair", "red eyes"]') as string[];
    expect(interner.intern(first)).toBe(first);
    expect(interner.intern(second)).toEqual(['smile', 'long hair', 'red eyes']);
    expect(first).toEqual(['long hair', 'smile']);
    expect(interner.size).toBe(3);
  });

  it('keeps a tag that differs only in case or spacing apart', () => {
    const interner = new TagInterner();
    expect(interner.intern(['Smile', 'smile', 'smile '])).toEqual(['Smile', 'smile', 'smile ']);
    expect(interner.size).toBe(3);
  });
});
