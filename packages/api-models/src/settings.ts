import * as z from 'zod/mini';
import { Limits } from './limits.js';

/** A dataset file-name prefix: `sakura` gives `sakura_0001.png`. */
export const PrefixSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"'));

/** A tag as it crosses a boundary; `@civtag/tags` normalises and checks it further. */
export const TagSchema = z.string().check(z.minLength(1), z.maxLength(Limits.tagLength));
export type Tag = z.infer<typeof TagSchema>;

/** How tags are written to caption files and exports. Tags are always stored unescaped. */
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

/** The settings of one dataset. */
export const SettingsSchema = z.object({
  prefix: PrefixSchema,
  /** The word that activates the LoRA; kept as the first tag of every caption. */
  triggerWord: z.optional(TagSchema),
  caption: CaptionOptionsSchema,
});
export type Settings = z.infer<typeof SettingsSchema>;
