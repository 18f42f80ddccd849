import * as z from 'zod/mini';
import { ImageIdSchema, ImageRecordSchema, TagListSchema } from './image.js';
import { ProposalSchema, RatingSchema } from './proposal.js';
import { SettingsSchema } from './settings.js';
import { ClientIdSchema, OpIdSchema } from './tag-op.js';

/** One image after a change. */
export const ImageChangeSchema = z.object({
  imageId: ImageIdSchema,
  tags: TagListSchema,
  rev: z.int().check(z.nonnegative()),
  excluded: z.optional(z.boolean()),
  /**
   * The image's pending proposals after the change (as `ImageRecord.proposals`), present when an
   * auto-tagger has scored the image: pending proposals follow its tags and rejections, so any
   * change of a scored image may change them. An empty list: none is pending any more.
   */
  proposals: z.optional(z.array(ProposalSchema)),
  /** The rating an auto-tagger gave the image, present when the change is that tagger's scoring. */
  rating: z.optional(RatingSchema),
});
export type ImageChange = z.infer<typeof ImageChangeSchema>;

/** Where a change came from. */
export const ChangeOriginSchema = z.enum(['op', 'undo', 'redo', 'external', 'import', 'tagger']);
export type ChangeOrigin = z.infer<typeof ChangeOriginSchema>;

/** An accepted change, as broadcast to every client. */
export const ChangeSchema = z.object({
  revision: z.int().check(z.nonnegative()),
  clientId: z.optional(ClientIdSchema),
  opId: z.optional(OpIdSchema),
  origin: z.optional(ChangeOriginSchema),
  changes: z.array(ImageChangeSchema),
  /** Images that joined the dataset with this change (an import). */
  added: z.optional(z.array(ImageRecordSchema)),
  /** The dataset's settings after this change, present only when the change altered them. */
  settings: z.optional(SettingsSchema),
  /**
   * What an undo or redo took back or applied again, in words for a person ("removed 'blue
   * eyes' from 37 images"); present only on changes of origin `undo` and `redo`.
   */
  description: z.optional(z.string()),
});
export type Change = z.infer<typeof ChangeSchema>;
