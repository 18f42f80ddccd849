import {
  ImageFormatSchema,
  ImageIdSchema,
  ImageSourceSchema,
  ImportDuplicateSchema,
  ImportFailureSchema,
  PerceptualHashSchema,
  ProposalSchema,
  RatingSchema,
  SettingsSchema,
  TagListSchema,
  TagOpSchema,
} from '@civtag/api-models';
import * as z from 'zod/mini';

/**
 * The version of the state layout below; a change needs a migration in `migrate-state.ts`.
 * 2: `settings.tagStyle` and `settings.kohyaRepeats` replace `settings.caption`.
 * 3: the same state, stored with its images as columns and tags as indices into a tag table
 *    (`state-codec.ts`), which a civtag that reads version 2 would take for a broken state.
 */
export const STATE_VERSION = 3;

/**
 * One image as civtag keeps it. `written` is the hash of the caption text last written to
 * the image's sidecar (`''` when no caption file was written), so that a reopened dataset can
 * tell its own lagging writes from edits made by someone else.
 */
export const ImageStateSchema = z.object({
  id: ImageIdSchema,
  file: z.string().check(z.minLength(1)),
  hash: z.string(),
  size: z.int().check(z.nonnegative()),
  width: z.int().check(z.nonnegative()),
  height: z.int().check(z.nonnegative()),
  format: ImageFormatSchema,
  tags: TagListSchema,
  /** Lines after the first of the caption (kohya's wildcard alternatives), kept verbatim. */
  extraLines: z.optional(z.array(z.string())),
  rev: z.int().check(z.nonnegative()),
  excluded: z.boolean(),
  written: z.string(),
  /** `size:mtimeMs` of the caption file as last seen, so an unchanged file need not be read. */
  seen: z.optional(z.string()),
  /**
   * What the last auto-tagger run proposed, highest score first, accepted ones included: the
   * pending ones are worked out from the tags (`pendingProposals`), so undoing an accept
   * proposes the tags again.
   */
  proposals: z.optional(z.array(ProposalSchema)),
  /** The rating the last auto-tagger run gave. */
  rating: z.optional(RatingSchema),
  /** Folds of rejected proposals: never proposed again for this image. */
  rejected: z.optional(z.array(z.string())),
  /** The id of the tagger model that scored this image (an auto-tag job skips it next time). */
  scored: z.optional(z.string()),
  /** The source file's name and path inside the import folder; absent for older imports. */
  source: z.optional(ImageSourceSchema),
  /**
   * The perceptual hash of its thumbnail (`perceptualHash` of `@civtag/core-fs`), `''` when it is
   * too small or plain to compare; absent until worked out (older datasets: in the background).
   */
  phash: z.optional(PerceptualHashSchema),
});
export type ImageState = z.infer<typeof ImageStateSchema>;

/** An import and how far it got; a second import of the same source skips what is done. */
export const ImportJobStateSchema = z.object({
  id: z.string(),
  source: z.string(),
  recursive: z.boolean(),
  tagsFromMetadata: z.boolean(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** Source paths (relative to `source`) whose image is in the dataset. */
  done: z.array(z.string()),
  failures: z.array(ImportFailureSchema),
  duplicates: z.array(ImportDuplicateSchema),
});
export type ImportJobState = z.infer<typeof ImportJobStateSchema>;

/** One step of the undo or redo history: the ops that take the dataset back (or forth). */
export const HistoryStepSchema = z.object({
  ops: z.array(TagOpSchema),
  /** Only for display: what the step was. */
  label: z.string(),
});
export type HistoryStep = z.infer<typeof HistoryStepSchema>;

/** The whole durable state of a dataset. */
export const DatasetStateSchema = z.object({
  id: z.string(),
  settings: SettingsSchema,
  /**
   * Set while the tag style is still the default one a dataset was made with: the first import
   * that reads captions picks the style from them (and clears this).
   */
  pickTagStyleOnImport: z.optional(z.literal(true)),
  /** Counts accepted entries; an image's `rev` is the revision of its last change. */
  revision: z.int().check(z.nonnegative()),
  images: z.record(z.string(), ImageStateSchema),
  imports: z.array(ImportJobStateSchema),
  undo: z.array(HistoryStepSchema),
  redo: z.array(HistoryStepSchema),
});
export type DatasetState = z.infer<typeof DatasetStateSchema>;

/** How many steps undo can go back. */
export const HISTORY_LIMIT = 200;
