import * as z from 'zod/mini';
import { KohyaRepeatsSchema } from './export-options.js';
import { Limits } from './limits.js';

/** A dataset file-name prefix: `sakura` gives `sakura_0001.png`. */
export const PrefixSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"'));

/** A tag as it crosses a boundary; `@civtag/tags` normalises and checks it further. */
export const TagSchema = z.string().check(z.minLength(1), z.maxLength(Limits.tagLength));
export type Tag = z.infer<typeof TagSchema>;

/**
 * Per-write caption options: what an export may change on top of the dataset's tag style
 * (`civtag export --escape-parens`, `--underscores-to-spaces`). Tags are always stored unescaped.
 */
export const CaptionOptionsSchema = z.object({
  /** Write `(` and `)` as `\(` and `\)` (what A1111-style prompt parsers need). */
  escapeParentheses: z.boolean(),
  /** Write `long_hair` as `long hair` (kohya's rule: only tags longer than 3 characters). */
  underscoresToSpaces: z.boolean(),
  /** Write tags in lower case. */
  lowercase: z.boolean(),
});
export type CaptionOptions = z.infer<typeof CaptionOptionsSchema>;

export const DEFAULT_CAPTION_OPTIONS: CaptionOptions = {
  escapeParentheses: false,
  underscoresToSpaces: false,
  lowercase: false,
};

/**
 * The one written form of a dataset's tags. Tags are stored with `separator` between words
 * (only tags longer than 3 characters are converted, kohya's rule, so `^_^` and `o_o` stay as
 * they are); parentheses are stored unescaped and escaped when captions are written if
 * `escapeParentheses`. The trigger word is exempt: it is kept exactly as set.
 */
export const TagStyleSchema = z.strictObject({
  /** `space`: `long hair`; `underscore`: `long_hair`. */
  separator: z.enum(['space', 'underscore']),
  /** Write `(` and `)` as `\(` and `\)` in captions (what A1111-style prompt parsers need). */
  escapeParentheses: z.boolean(),
});
export type TagStyle = z.infer<typeof TagStyleSchema>;

/** The tag style of a dataset made without one, until an import picks one from its captions. */
export const DEFAULT_TAG_STYLE: TagStyle = { separator: 'space', escapeParentheses: false };

/** The kohya repeats of a dataset made without a number: the `10_` of `10_sakura/`. */
export const DEFAULT_KOHYA_REPEATS = 10;

/** The settings of one dataset. */
export const SettingsSchema = z.object({
  /** File-name prefix of images imported from now on; existing files keep their names. */
  prefix: PrefixSchema,
  /** The word that activates the LoRA; kept as the first tag of every caption, exactly as set. */
  triggerWord: z.optional(TagSchema),
  /** How tags are stored and written (replaces the caption options of state version 1). */
  tagStyle: TagStyleSchema,
  /** The repeats of a kohya export that names none, 1 to {@link Limits.kohyaRepeats}. */
  kohyaRepeats: KohyaRepeatsSchema,
});
export type Settings = z.infer<typeof SettingsSchema>;
