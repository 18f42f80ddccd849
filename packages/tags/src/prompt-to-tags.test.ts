import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeTag } from './normalize-tag.js';
import { promptToTags } from './prompt-to-tags.js';

/** Text made of prompt syntax, separators, escapes, numbers, unicode and control characters. */
const promptText = fc
  .array(
    fc.constantFrom(
      ...'()[]{}<>:|,\\ \n\r\t.0123456789-+_abcBREAKloraembedding'.split(''),
      '<lora:x:1>',
      'BREAK',
      'embedding:',
      '\\(',
      '::',
      'ミ',
      '\u0000',
      '\ud800',
      '🎨',
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

describe('promptToTags', () => {
  it('turns an A1111 prompt into its tags', () => {
    const prompt =
      'masterpiece, best quality, (1girl:1.2), ((solo)), [red hair], {blue eyes}, (smile, open mouth:0.9), <lora:sakura_v2:0.8>, <hypernet:anime:1>, photo \\(medium\\)';
    expect(promptToTags(prompt)).toEqual([
      'masterpiece',
      'best quality',
      '1girl',
      'solo',
      'red hair',
      'blue eyes',
      'smile',
      'open mouth',
      'photo (medium)',
    ]);
  });

  it('keeps both sides of prompt editing and alternation', () => {
    expect(promptToTags('[cat:dog:0.5], [day|night], [rain:0.3], [snow::10]')).toEqual([
      'cat',
      'dog',
      'day',
      'night',
      'rain',
      'snow',
    ]);
  });

  it('splits on BREAK and line breaks and drops embeddings', () => {
    expect(
      promptToTags(
        '1girl, solo BREAK\nforest,\r\nembedding:EasyNegative, (embedding:bad_hands:1.1), night',
      ),
    ).toEqual(['1girl', 'solo', 'forest', 'night']);
  });

  it('splits on AND, as A1111 composable diffusion does', () => {
    expect(promptToTags('1girl, red dress AND 1boy, suit')).toEqual([
      '1girl',
      'red dress',
      '1boy',
      'suit',
    ]);
  });

  it('keeps BREAK inside a word and emoticon tags with colons', () => {
    expect(promptToTags('BREAKING news, :d, re:zero, ^_^, >_<')).toEqual([
      'BREAKING news',
      ':d',
      're:zero',
      '^_^',
      '>_<',
    ]);
  });

  it('strips NovelAI weights and collapses whitespace', () => {
    expect(promptToTags('1.3::cherry   blossoms::, -0.5::rain::,  long\thair ')).toEqual([
      'cherry blossoms',
      'rain',
      'long hair',
    ]);
  });

  it('keeps the first of duplicate tags, including ones that differ only in weight', () => {
    expect(promptToTags('solo, (solo:1.3), 1girl, ((1girl)), solo')).toEqual(['solo', '1girl']);
  });

  it('keeps escaped parentheses inside weighted groups', () => {
    expect(promptToTags('(hatsune miku \\(cosplay\\):1.1), (yor forger:0.8)')).toEqual([
      'hatsune miku (cosplay)',
      'yor forger',
    ]);
  });

  it('returns nothing for an empty or separator-only prompt', () => {
    expect(promptToTags('')).toEqual([]);
    expect(promptToTags(' , ,, BREAK \n ')).toEqual([]);
  });

  it('never throws and returns only valid, unique tags for any text', () => {
    fc.assert(
      fc.property(promptText, (prompt) => {
        const tags = promptToTags(prompt);
        return new Set(tags).size === tags.length && tags.every((tag) => normalizeTag(tag) === tag);
      }),
    );
  });
});
