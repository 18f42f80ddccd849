import { describe, expect, it } from 'vitest';
import { ChangeSchema } from './change.js';
import { Limits } from './limits.js';
import { SettingsSchema } from './settings.js';
import { TagOpSchema } from './tag-op.js';
import { parseOrThrow } from './validation.js';

const settings = {
  prefix: 'sakura',
  tagStyle: { separator: 'underscore', escapeParentheses: true },
  kohyaRepeats: 10,
};

describe('settings and the ops that change them', () => {
  it('takes a tag style and kohya repeats as settings', () => {
    expect(SettingsSchema.parse(settings)).toEqual(settings);
  });

  it('refuses a separator other than space or underscore, naming the field', () => {
    expect(() =>
      parseOrThrow(
        SettingsSchema,
        { ...settings, tagStyle: { separator: 'dash', escapeParentheses: false } },
        'settings',
      ),
    ).toThrow(/tagStyle\.separator/);
  });

  it('bounds kohya repeats by the shared limit', () => {
    expect(() =>
      parseOrThrow(
        SettingsSchema,
        { ...settings, kohyaRepeats: Limits.kohyaRepeats + 1 },
        'settings',
      ),
    ).toThrow(/kohyaRepeats/);
    expect(() =>
      parseOrThrow(SettingsSchema, { ...settings, kohyaRepeats: 0 }, 'settings'),
    ).toThrow(/kohyaRepeats/);
  });

  it('accepts a settings op that clears the trigger word and one that changes every setting', () => {
    expect(TagOpSchema.parse({ type: 'settings', changes: { triggerWord: null } })).toEqual({
      type: 'settings',
      changes: { triggerWord: null },
    });
    const everything = {
      type: 'settings',
      changes: {
        triggerWord: 'miku_style',
        prefix: 'miku',
        tagStyle: { separator: 'space', escapeParentheses: false },
        kohyaRepeats: 4,
      },
    };
    expect(TagOpSchema.parse(everything)).toEqual(everything);
  });

  it('refuses a setting it does not know and a prefix that is not one', () => {
    expect(() =>
      parseOrThrow(TagOpSchema, { type: 'settings', changes: { colour: 'red' } }, 'tag op'),
    ).toThrow(/colour/);
    expect(() =>
      parseOrThrow(TagOpSchema, { type: 'settings', changes: { prefix: '../x' } }, 'tag op'),
    ).toThrow(/changes\.prefix: must be 1–64/);
  });

  it('accepts a normalize op on any target', () => {
    for (const target of [{ all: true }, { ids: ['a'] }, { query: 'blue_eyes' }]) {
      expect(TagOpSchema.parse({ type: 'normalize', target })).toEqual({
        type: 'normalize',
        target,
      });
    }
  });

  it('carries the new settings in a change when they changed', () => {
    const change = { revision: 3, changes: [], settings };
    expect(ChangeSchema.parse(change)).toEqual(change);
  });
});
