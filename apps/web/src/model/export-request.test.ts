import { Limits } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { exportPath, kohyaDefaults, kohyaFolderName, parseRepeats } from './export-request.js';

describe('parseRepeats', () => {
  it('takes a whole number of repeats from 1 to the limit, spaces around it allowed', () => {
    expect(parseRepeats('10')).toEqual({ valid: true, repeats: 10 });
    expect(parseRepeats(' 1 ')).toEqual({ valid: true, repeats: 1 });
    expect(parseRepeats(String(Limits.kohyaRepeats))).toEqual({
      valid: true,
      repeats: Limits.kohyaRepeats,
    });
  });

  it('refuses anything else and says what it takes', () => {
    for (const text of [
      '',
      '0',
      '-3',
      '1.5',
      '1e3',
      'ten',
      String(Limits.kohyaRepeats + 1),
      '010x',
    ]) {
      const parsed = parseRepeats(text);
      expect(parsed.valid, text).toBe(false);
      if (!parsed.valid)
        expect(parsed.message).toBe(
          `Repeats must be a whole number from 1 to ${Limits.kohyaRepeats.toLocaleString()}.`,
        );
    }
  });
});

describe('exportPath', () => {
  it('asks for the Civitai zip', () => {
    expect(exportPath({ format: 'zip' })).toBe('/api/export?format=zip');
  });

  it('asks for the kohya layout with its repeats, escaped parentheses or not, and spaces when asked', () => {
    expect(
      exportPath({
        format: 'kohya',
        repeats: 3,
        escapeParentheses: true,
        underscoresToSpaces: false,
      }),
    ).toBe('/api/export?format=kohya&repeats=3&escapeParentheses=true');
    // Off is sent too: a dataset that escapes parentheses can export them plain.
    expect(
      exportPath({
        format: 'kohya',
        repeats: 10,
        escapeParentheses: false,
        underscoresToSpaces: true,
      }),
    ).toBe('/api/export?format=kohya&repeats=10&escapeParentheses=false&underscoresToSpaces=true');
  });

  it("starts the kohya download from the dataset's repeats and tag style", () => {
    expect(
      kohyaDefaults({ kohyaRepeats: 4, tagStyle: { separator: 'space', escapeParentheses: true } }),
    ).toEqual({ repeats: 4, escapeParentheses: true, underscoresToSpaces: true });
    expect(
      kohyaDefaults({
        kohyaRepeats: 10,
        tagStyle: { separator: 'underscore', escapeParentheses: false },
      }),
    ).toEqual({ repeats: 10, escapeParentheses: false, underscoresToSpaces: false });
  });
});

describe('kohyaFolderName', () => {
  it('names the folder by the repeats and the trigger word, or the prefix without one', () => {
    expect(kohyaFolderName(10, { prefix: 'sakura', triggerWord: 'sakura_style' })).toBe(
      '10_sakura_style',
    );
    expect(kohyaFolderName(3, { prefix: 'sakura' })).toBe('3_sakura');
  });
});
