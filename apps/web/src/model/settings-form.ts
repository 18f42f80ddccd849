import {
  PrefixSchema,
  type Settings,
  type SettingsChanges,
  type TagStyle,
} from '@civtag/api-models';
import { findTagProblem, normalizeTag } from '@civtag/tags';
import { parseRepeats } from './export-request.js';

/** The dataset settings dialog as typed: text fields as text, the tag style as chosen. */
export interface SettingsForm {
  /** Empty clears the trigger word (its tag stays in the captions). */
  triggerWord: string;
  prefix: string;
  separator: TagStyle['separator'];
  escapeParentheses: boolean;
  repeats: string;
}

/** A field of the form the server would refuse, and why, in words a user can act on. */
export interface SettingsProblem {
  field: 'triggerWord' | 'prefix' | 'repeats';
  message: string;
}

/** What the form asks for: the changes of one `settings` op, or what to correct first. */
export type SettingsFormResult =
  | { valid: true; changes: SettingsChanges; changed: boolean }
  | { valid: false; problems: SettingsProblem[] };

/** The form filled with the dataset's settings as they are. */
export function settingsFormFrom(settings: Settings): SettingsForm {
  return {
    triggerWord: settings.triggerWord ?? '',
    prefix: settings.prefix,
    separator: settings.tagStyle.separator,
    escapeParentheses: settings.tagStyle.escapeParentheses,
    repeats: String(settings.kohyaRepeats),
  };
}

/**
 * Reads the form against the current settings: only the fields that differ go into the
 * changes, so saving an untouched form sends nothing and a trigger word left as it was is not
 * renamed again. The trigger word is taken as the tag rules normalise it; an empty one clears it.
 */
export function settingsChangesFrom(settings: Settings, form: SettingsForm): SettingsFormResult {
  const problems: SettingsProblem[] = [];
  const changes: SettingsChanges = {};

  const trigger = form.triggerWord.trim();
  if (trigger === '') {
    if (settings.triggerWord !== undefined) changes.triggerWord = null;
  } else {
    const problem = findTagProblem(trigger);
    if (problem !== undefined) {
      problems.push({
        field: 'triggerWord',
        message: `The trigger word is not a valid tag: ${problem}.`,
      });
    } else if (normalizeTag(trigger) !== settings.triggerWord) {
      changes.triggerWord = normalizeTag(trigger);
    }
  }

  const prefix = form.prefix.trim();
  if (!PrefixSchema.safeParse(prefix).success) {
    problems.push({
      field: 'prefix',
      message: 'The name prefix must be 1–64 letters, digits, "_" or "-".',
    });
  } else if (prefix !== settings.prefix) {
    changes.prefix = prefix;
  }

  const { separator, escapeParentheses } = form;
  if (
    separator !== settings.tagStyle.separator ||
    escapeParentheses !== settings.tagStyle.escapeParentheses
  ) {
    changes.tagStyle = { separator, escapeParentheses };
  }

  const repeats = parseRepeats(form.repeats);
  if (!repeats.valid) problems.push({ field: 'repeats', message: repeats.message });
  else if (repeats.repeats !== settings.kohyaRepeats) changes.kohyaRepeats = repeats.repeats;

  if (problems.length > 0) return { valid: false, problems };
  return { valid: true, changes, changed: Object.keys(changes).length > 0 };
}
