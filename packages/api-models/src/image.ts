import * as z from 'zod/mini';
import { Limits } from './limits.js';
import { ProposalSchema, RatingSchema } from './proposal.js';
import { TagSchema } from './settings.js';

/** An image id: stable for the image's life in the dataset. */
export const ImageIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"'));
export type ImageId = z.infer<typeof ImageIdSchema>;

export const ImageFormatSchema = z.enum(['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff', 'bmp']);
export type ImageFormat = z.infer<typeof ImageFormatSchema>;

export const TagListSchema = z.array(TagSchema).check(z.maxLength(Limits.tagsPerImage));

/**
 * Where an image came from: the source file's name and its path inside the folder it was imported
 * from (`/`-separated). Absent for images imported before civtag recorded it.
 */
export const ImageSourceSchema = z.object({
  name: z.string(),
  path: z.string(),
});
export type ImageSource = z.infer<typeof ImageSourceSchema>;

/**
 * A perceptual hash: 64 bits as 16 lowercase hex digits, or `''` for an image too small or too
 * plain to compare (see `perceptualHash` of `@civtag/core-fs`).
 */
export const PerceptualHashSchema = z
  .string()
  .check(z.regex(/^(?:[0-9a-f]{16})?$/, 'must be 16 lowercase hex digits or empty'));

/** One image of a dataset, as the API shows it. */
export const ImageRecordSchema = z.object({
  id: ImageIdSchema,
  /** The file name inside the dataset folder, like `sakura_0001.png`. */
  file: z.string(),
  /** Content hash (hex sha256) of the image file. */
  hash: z.string(),
  width: z.int().check(z.nonnegative()),
  height: z.int().check(z.nonnegative()),
  format: ImageFormatSchema,
  tags: TagListSchema,
  /** The global revision of this image's last change. */
  rev: z.int().check(z.nonnegative()),
  /** Moved to `.civtag/trash/`; kept in the state so it can be restored. */
  excluded: z.boolean(),
  /**
   * Tags an auto-tagger proposes and nobody has accepted or rejected yet, highest score first:
   * never a tag the image holds in any form. Absent when the image was never tagged by one.
   */
  proposals: z.optional(z.array(ProposalSchema)),
  /** The rating an auto-tagger gave the image. */
  rating: z.optional(RatingSchema),
  /** Where the image was imported from; absent for images imported before civtag kept it. */
  source: z.optional(ImageSourceSchema),
  /** Its perceptual hash; absent until it is worked out (at import, or in the background). */
  phash: z.optional(PerceptualHashSchema),
});
export type ImageRecord = z.infer<typeof ImageRecordSchema>;
