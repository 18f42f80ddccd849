import {
  KohyaRepeatsSchema,
  PrefixSchema,
  type Settings,
  type SettingsChanges,
  TagSchema,
  type TagStyle,
} from '@civtag/api-models';
import type { Dataset } from '@civtag/core';
import type { CommandContext } from './command-context.js';
import { say } from './command-context.js';
import type { OptionsConfig, OptionValues } from './command-line.js';
import { UsageError } from './usage-error.js';

/** The options that set a dataset's settings, shared by `settings`, `import` and `serve`. */
export const SETTINGS_OPTIONS = {
  trigger: { type: 'string' },
  'no-trigger': { type: 'boolean' },
  prefix: { type: 'string' },
  'tag-style': { type: 'string' },
  'escape-parens': { type: 'string' },
  repeats: { type: 'string' },
} as const satisfies OptionsConfig;

/** Their lines in a command's usage text. */
export const SETTINGS_USAGE = `  --trigger WORD        the trigger word, kept first in every caption (a new one is renamed in every caption)
  --no-trigger          no trigger word (captions keep the tag they have)
  --prefix NAME         file-name prefix of images imported from now on (existing files keep their names)
  --tag-style STYLE     "spaces" (long hair) or "underscores" (long_hair): how tags are stored and written
  --escape-parens on|off  write ( and ) as \\( and \\) in captions
  --repeats N           kohya repeats of an export that names none (1 to 99999)`;

type SettingsValues = OptionValues<typeof SETTINGS_OPTIONS>;

/** Parses one option with a schema; a bad value is a usage error naming the option. */
function parseOption<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
  option: string,
  rule: string,
  usage: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--${option} ${rule} (got "${String(value)}").`, usage);
  return parsed.data;
}

/**
 * The settings the options ask for, as a partial change; `current` fills in the half of the tag
 * style an option leaves out. Throws a usage error (exit 2) naming a bad value.
 */
export function settingsFromOptions(
  values: SettingsValues,
  current: Pick<Settings, 'tagStyle'> | undefined,
  usage: string,
): SettingsChanges {
  const changes: SettingsChanges = {};
  if (values.trigger !== undefined && values['no-trigger'] === true) {
    throw new UsageError('give --trigger WORD or --no-trigger, not both.', usage);
  }
  if (values.trigger !== undefined) {
    changes.triggerWord = parseOption(
      TagSchema,
      values.trigger.trim(),
      'trigger',
      'must be a tag of 1 to 256 characters',
      usage,
    );
  }
  if (values['no-trigger'] === true) changes.triggerWord = null;
  if (values.prefix !== undefined) {
    changes.prefix = parseOption(
      PrefixSchema,
      values.prefix,
      'prefix',
      'must be 1–64 letters, digits, "_" or "-"',
      usage,
    );
  }
  const separator = values['tag-style'];
  const escaping = values['escape-parens'];
  if (separator !== undefined || escaping !== undefined) {
    if (separator !== undefined && separator !== 'spaces' && separator !== 'underscores') {
      throw new UsageError(
        `--tag-style must be "spaces" or "underscores" (got "${separator}").`,
        usage,
      );
    }
    if (escaping !== undefined && escaping !== 'on' && escaping !== 'off') {
      throw new UsageError(`--escape-parens must be "on" or "off" (got "${escaping}").`, usage);
    }
    const base = current?.tagStyle;
    const tagStyle: TagStyle = {
      separator:
        separator === undefined
          ? (base?.separator ?? 'space')
          : separator === 'spaces'
            ? 'space'
            : 'underscore',
      escapeParentheses:
        escaping === undefined ? (base?.escapeParentheses ?? false) : escaping === 'on',
    };
    changes.tagStyle = tagStyle;
  }
  if (values.repeats !== undefined) {
    const repeats = /^\d+$/.test(values.repeats) ? Number(values.repeats) : Number.NaN;
    changes.kohyaRepeats = parseOption(
      KohyaRepeatsSchema,
      repeats,
      'repeats',
      'must be a whole number from 1 to 99999',
      usage,
    );
  }
  return changes;
}

/** The part of `changes` that differs from `settings`. */
function differences(settings: Settings, changes: SettingsChanges): SettingsChanges {
  const different: SettingsChanges = {};
  if (changes.triggerWord !== undefined && changes.triggerWord !== (settings.triggerWord ?? null)) {
    different.triggerWord = changes.triggerWord;
  }
  if (changes.prefix !== undefined && changes.prefix !== settings.prefix)
    different.prefix = changes.prefix;
  if (
    changes.tagStyle !== undefined &&
    (changes.tagStyle.separator !== settings.tagStyle.separator ||
      changes.tagStyle.escapeParentheses !== settings.tagStyle.escapeParentheses)
  ) {
    different.tagStyle = changes.tagStyle;
  }
  if (changes.kohyaRepeats !== undefined && changes.kohyaRepeats !== settings.kohyaRepeats) {
    different.kohyaRepeats = changes.kohyaRepeats;
  }
  return different;
}

/** `spaces, parentheses escaped`: a tag style for people. */
function describeTagStyle(style: TagStyle): string {
  return `${style.separator === 'space' ? 'spaces' : 'underscores'}, parentheses ${style.escapeParentheses ? 'escaped' : 'plain'}`;
}

/** A dataset's settings, one per line, for people. */
export function describeSettings(settings: Settings): string {
  return [
    `trigger word:  ${settings.triggerWord ?? '(none)'}`,
    `prefix:        ${settings.prefix}`,
    `tag style:     ${describeTagStyle(settings.tagStyle)}`,
    `kohya repeats: ${settings.kohyaRepeats}`,
  ].join('\n');
}

/**
 * Applies the settings `changes` that differ from the dataset's as one undoable `settings` op
 * (a new trigger word is renamed in every caption), and says what changed. Returns the change
 * applied, empty when nothing differed.
 */
export async function applySettings(
  context: CommandContext,
  dataset: Dataset,
  changes: SettingsChanges,
): Promise<SettingsChanges> {
  const different = differences(dataset.settings, changes);
  if (Object.keys(different).length === 0) return different;
  const before = dataset.settings;
  await dataset.apply({ type: 'settings', changes: different });
  const after = dataset.settings;
  const lines: string[] = [];
  if (different.triggerWord !== undefined) {
    lines.push(`trigger word ${before.triggerWord ?? '(none)'} → ${after.triggerWord ?? '(none)'}`);
  }
  if (different.prefix !== undefined)
    lines.push(`prefix ${before.prefix} → ${after.prefix} (for images imported from now on)`);
  if (different.tagStyle !== undefined)
    lines.push(`tag style → ${describeTagStyle(after.tagStyle)}`);
  if (different.kohyaRepeats !== undefined)
    lines.push(`kohya repeats ${before.kohyaRepeats} → ${after.kohyaRepeats}`);
  say(context, `Settings of ${dataset.dir} changed (undo in the web app): ${lines.join('; ')}.`);
  return different;
}
