import { describe, expect, it } from 'vitest';
import { readCaptionEdit } from './caption-edit.js';

describe('readCaptionEdit', () => {
  it('reads a pasted caption as its file would be read: escapes, stray commas, duplicates', () => {
    expect(readCaptionEdit('1girl,, photo \\(medium\\), 1girl, ', undefined)).toEqual({
      tags: ['1girl', 'photo (medium)'],
    });
  });

  it('keeps the trigger word first when the text leaves it out, and where it is otherwise', () => {
    expect(readCaptionEdit('1girl, smile', 'sks')).toEqual({ tags: ['sks', '1girl', 'smile'] });
    expect(readCaptionEdit('1girl, SKS', 'sks')).toEqual({ tags: ['1girl', 'SKS'] });
  });

  it('refuses more than one line', () => {
    expect(readCaptionEdit('1girl\n{red|blue} hair', undefined)).toHaveProperty('problem');
  });
});
