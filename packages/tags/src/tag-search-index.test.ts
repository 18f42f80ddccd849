import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldTag } from './fold-tag.js';
import { type SearchableTag, TagSearchIndex } from './tag-search-index.js';

const tags: SearchableTag[] = [
  { tag: 'hair_ribbon', count: 50 },
  { tag: 'long_hair', count: 900, aliases: ['longhair'] },
  { tag: 'Hair Ornament', count: 300 },
  { tag: 'very_long_hair', count: 400 },
  { tag: 'hatsune_miku', count: 120, aliases: ['miku_hatsune', '初音ミク'] },
  { tag: 'solo', count: 5000 },
];
const index = TagSearchIndex.build(tags);
const names = (hits: { entry: SearchableTag }[]) => hits.map((hit) => hit.entry.tag);

describe('TagSearchIndex', () => {
  it('finds the tags that start with the input, most counted first, by fold', () => {
    expect(names(index.startingWith(foldTag('HAIR_'), 10))).toEqual([
      'Hair Ornament',
      'hair_ribbon',
    ]);
    expect(names(index.startingWith('long h', 10))).toEqual(['long_hair']);
  });

  it('finds the tags that contain the input without starting with it', () => {
    expect(names(index.containing('hair', 10))).toEqual(['long_hair', 'very_long_hair']);
    expect(index.containing('zzz', 10)).toEqual([]);
  });

  it('finds a tag through an alias and names the alias', () => {
    expect(index.startingWith('miku', 10)).toEqual([{ entry: tags[4], alias: 'miku_hatsune' }]);
    expect(index.startingWith('初音', 10)[0]?.alias).toBe('初音ミク');
  });

  it('keeps the limit and leaves out what accept refuses', () => {
    expect(names(index.startingWith('h', 2))).toEqual(['Hair Ornament', 'hatsune_miku']);
    expect(names(index.startingWith('h', 10, (entry) => entry.tag !== 'hatsune_miku'))).toEqual([
      'Hair Ornament',
      'hair_ribbon',
    ]);
    expect(index.startingWith('h', 0)).toEqual([]);
    expect(index.startingWith('', 5)).toEqual([]);
  });

  it('lists the tags that start with the input before those found through an alias', () => {
    const spellings = TagSearchIndex.build([
      { tag: 'breasts', count: 500, aliases: ['boobs'] },
      { tag: 'boots', count: 300 },
    ]);
    expect(spellings.startingWith('bo', 10)).toEqual([
      { entry: { tag: 'boots', count: 300 } },
      { entry: { tag: 'breasts', count: 500, aliases: ['boobs'] }, alias: 'boobs' },
    ]);
  });

  it('knows which folds it holds, and finds the entry of one', () => {
    expect(index.has('hair ornament')).toBe(true);
    expect(index.has('hair')).toBe(false);
    expect(index.find('hair ornament')).toBe(tags[2]);
    expect(index.find('hair')).toBeUndefined();
    expect(TagSearchIndex.build([]).startingWith('a', 3)).toEqual([]);
  });

  it('answers exactly as a scan over every tag does', () => {
    const tag = fc.stringMatching(/^[a-c_ ]{1,6}$/).filter((text) => foldTag(text) !== '');
    fc.assert(
      fc.property(
        fc.array(fc.record({ tag, count: fc.nat(20) }), { maxLength: 30 }),
        fc.stringMatching(/^[a-c ]{1,3}$/).filter((text) => foldTag(text) !== ''),
        fc.integer({ min: 1, max: 8 }),
        (entries, input, limit) => {
          const wanted = foldTag(input);
          const byCount = [...entries].sort((left, right) => right.count - left.count);
          const scan = (test: (folded: string) => boolean) =>
            byCount.filter((entry) => test(foldTag(entry.tag))).slice(0, limit);
          const built = TagSearchIndex.build(entries);
          expect(names(built.startingWith(wanted, limit))).toEqual(
            names(scan((folded) => folded.startsWith(wanted)).map((entry) => ({ entry }))),
          );
          expect(names(built.containing(wanted, limit))).toEqual(
            names(
              scan((folded) => folded.includes(wanted) && !folded.startsWith(wanted)).map(
                (entry) => ({ entry }),
              ),
            ),
          );
        },
      ),
    );
  });

  it('answers a word typed a character at a time, and edited, as a fresh index does', () => {
    const tag = fc.stringMatching(/^[ab_ ]{1,6}$/).filter((text) => foldTag(text) !== '');
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            tag,
            count: fc.nat(20),
            aliases: fc.array(tag, { maxLength: 2 }),
          }),
          { maxLength: 30 },
        ),
        fc.array(
          fc.stringMatching(/^[ab ]{1,5}$/).filter((text) => foldTag(text) !== ''),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        fc.integer({ min: 1, max: 4 }),
        (entries, words, limit) => {
          const typing = TagSearchIndex.build(entries);
          for (const word of words) {
            for (let length = 1; length <= word.length; length += 1) {
              const wanted = foldTag(word.slice(0, length));
              if (wanted === '') continue;
              const fresh = TagSearchIndex.build(entries);
              expect(typing.startingWith(wanted, limit)).toEqual(fresh.startingWith(wanted, limit));
              expect(typing.containing(wanted, limit)).toEqual(fresh.containing(wanted, limit));
              const refuseA = (entry: SearchableTag) => !entry.tag.startsWith('a');
              expect(typing.startingWith(wanted, limit, refuseA)).toEqual(
                TagSearchIndex.build(entries).startingWith(wanted, limit, refuseA),
              );
            }
          }
        },
      ),
    );
  });

  it('looks past the matches it keeps when the caller refuses most of them', () => {
    const many = Array.from({ length: 300 }, (_, index) => ({
      tag: `a${String(index).padStart(3, '0')}`,
      count: 1000 - index,
    }));
    const built = TagSearchIndex.build(many);
    const late = (entry: SearchableTag) => entry.count <= 800;
    expect(names(built.startingWith('a', 3, late))).toEqual(['a200', 'a201', 'a202']);
    expect(names(built.containing('0', 3, late))).toEqual(['a200', 'a201', 'a202']);
    // Typing on from a search that kept only some matches still finds them all.
    expect(names(built.startingWith('a2', 3, late))).toEqual(['a200', 'a201', 'a202']);
    expect(names(built.startingWith('a29', 20)).length).toBe(10);
  });
});
