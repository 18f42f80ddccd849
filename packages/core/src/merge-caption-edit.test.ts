import { describe, expect, it } from 'vitest';
import { mergeCaptionEdit } from './merge-caption-edit.js';

describe('mergeCaptionEdit', () => {
  it('keeps what the edit added and removed and what civtag added and removed', () => {
    expect(mergeCaptionEdit(['cat', 'sky'], ['sky', 'dog'], ['cat', 'sky', 'sun'])).toEqual([
      'sky',
      'dog',
      'sun',
    ]);
    expect(mergeCaptionEdit(['cat', 'sky'], ['cat', 'sky', 'dog'], ['cat'])).toEqual([
      'cat',
      'dog',
    ]);
  });

  it('takes the file as it is when civtag changed nothing, and the state when the file is the base', () => {
    expect(mergeCaptionEdit(['a', 'b'], ['b', 'c'], ['a', 'b'])).toEqual(['b', 'c']);
    expect(mergeCaptionEdit(['a', 'b'], ['a', 'b'], ['b', 'c'])).toEqual(['b', 'c']);
  });

  it('compares tags by their folded form and keeps the file’s form of a tag both hold', () => {
    expect(mergeCaptionEdit(['blue_eyes'], ['Blue Eyes', 'smile'], ['blue_eyes', 'sun'])).toEqual([
      'Blue Eyes',
      'smile',
      'sun',
    ]);
    expect(mergeCaptionEdit(['blue_eyes', 'sun'], ['blue eyes', 'sun'], ['sun'])).toEqual(['sun']);
  });
});
