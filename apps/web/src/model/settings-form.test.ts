import type { Settings } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { settingsChangesFrom, settingsFormFrom } from './settings-form.js';

const settings: Settings = {
  prefix: 'sakura',
  triggerWord: 'sakura',
  tagStyle: { separator: 'space', escapeParentheses: false },
  kohyaRepeats: 10,
};

describe('the dataset settings form', () => {
  it('sends nothing for a form left as it was', () => {
    expect(settingsChangesFrom(settings, settingsFormFrom(settings))).toEqual({
      valid: true,
      changes: {},
      changed: false,
    });
  });

  it('sends only the settings that changed, the trigger word as the tag rules normalise it', () => {
    const form = {
      ...settingsFormFrom(settings),
      triggerWord: '  sakura   style ',
      separator: 'underscore' as const,
      repeats: ' 4 ',
    };
    expect(settingsChangesFrom(settings, form)).toEqual({
      valid: true,
      changed: true,
      changes: {
        triggerWord: 'sakura style',
        tagStyle: { separator: 'underscore', escapeParentheses: false },
        kohyaRepeats: 4,
      },
    });
  });

  it('clears the trigger word when its field is emptied, and sets one where there was none', () => {
    const cleared = settingsChangesFrom(settings, {
      ...settingsFormFrom(settings),
      triggerWord: '',
    });
    expect(cleared).toEqual({ valid: true, changed: true, changes: { triggerWord: null } });
    const without: Settings = { ...settings, triggerWord: undefined };
    const set = settingsChangesFrom(without, { ...settingsFormFrom(without), prefix: 'miku' });
    expect(settingsFormFrom(without).triggerWord).toBe('');
    expect(set).toEqual({ valid: true, changed: true, changes: { prefix: 'miku' } });
  });

  it('names each field the server would refuse, and sends nothing', () => {
    const result = settingsChangesFrom(settings, {
      ...settingsFormFrom(settings),
      triggerWord: 'sakura, style',
      prefix: 'my dataset',
      repeats: '0',
    });
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.problems.map((problem) => problem.field)).toEqual([
      'triggerWord',
      'prefix',
      'repeats',
    ]);
    expect(result.problems[0]?.message).toBe(
      'The trigger word is not a valid tag: a tag cannot contain a comma (it separates tags in a caption).',
    );
  });
});
