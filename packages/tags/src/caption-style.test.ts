import { describe, expect, it } from 'vitest';
import { captionStyle, captionText } from './caption-style.js';
import { parseCaption } from './parse-caption.js';

const settings = {
  triggerWord: 'sks_char',
  tagStyle: { separator: 'space' as const, escapeParentheses: true },
};

describe('captionText', () => {
  it("writes a dataset's caption in its style: escaped parentheses, the trigger word as it is", () => {
    expect(
      captionText({ tags: ['sks_char', 'photo (medium)', 'long hair'] }, captionStyle(settings)),
    ).toBe('sks_char, photo \\(medium\\), long hair');
    expect(
      captionText(
        { tags: ['sks_char', 'photo (medium)'] },
        captionStyle({ ...settings, tagStyle: { separator: 'space', escapeParentheses: false } }),
      ),
    ).toBe('sks_char, photo (medium)');
  });

  it('takes an export override on top of the style, and writes nothing for no tags', () => {
    const style = captionStyle(settings, { underscoresToSpaces: true });
    expect(captionText({ tags: ['sks_char', 'long_hair', '^_^'] }, style)).toBe(
      'sks_char, long hair, ^_^',
    );
    expect(captionText({ tags: [] }, style)).toBe('');
  });

  it('reads back what it writes', () => {
    const tags = ['sks_char', 'photo (medium)', 'smile'];
    expect(parseCaption(captionText({ tags }, captionStyle(settings))).tags).toEqual(tags);
  });
});
