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
});
export type ImageRecord = z.infer<typeof ImageRecordSchema>;
