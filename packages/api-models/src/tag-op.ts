import * as z from 'zod/mini';
import { KohyaRepeatsSchema } from './export-options.js';
import { ImageIdSchema, TagListSchema } from './image.js';
import { Limits } from './limits.js';
import { PrefixSchema, TagSchema, TagStyleSchema } from './settings.js';

/** Which images an op touches: listed ids, a filter query, or all. */
export const TargetSchema = z.union([
  z.strictObject({
    ids: z.array(ImageIdSchema).check(z.minLength(1), z.maxLength(Limits.idsPerTarget)),
  }),
  z.strictObject({ query: z.string().check(z.maxLength(Limits.queryLength)) }),
  z.strictObject({ all: z.literal(true) }),
]);
export type Target = z.infer<typeof TargetSchema>;

const NonEmptyTagsSchema = z
  .array(TagSchema)
  .check(z.minLength(1), z.maxLength(Limits.tagsPerImage));

export const SetOpSchema = z.strictObject({
  type: z.literal('set'),
  imageId: ImageIdSchema,
  tags: TagListSchema,
});
export const AddOpSchema = z.strictObject({
  type: z.literal('add'),
  target: TargetSchema,
  tags: NonEmptyTagsSchema,
  /** `end` by default; an index counts from the start. The trigger word stays first. */
  position: z.optional(
    z.union([z.literal('start'), z.literal('end'), z.int().check(z.nonnegative())]),
  ),
});
export const RemoveOpSchema = z.strictObject({
  type: z.literal('remove'),
  target: TargetSchema,
  tags: NonEmptyTagsSchema,
});
export const ReplaceOpSchema = z.strictObject({
  type: z.literal('replace'),
  target: TargetSchema,
  from: TagSchema,
  to: TagSchema,
});
/**
 * Renames several tags at once, as one undo step: in order, each `from` (by fold) becomes `to`
 * on the target images as `replace` does, and an empty `to` removes the tag. A regex replace
 * over tags sends this: the client works out the renames from the tags it shows and previews
 * them, so a pattern never runs on the server.
 */
export const RenameTagsOpSchema = z.strictObject({
  type: z.literal('rename-tags'),
  target: TargetSchema,
  renames: z
    .array(z.strictObject({ from: TagSchema, to: z.union([TagSchema, z.literal('')]) }))
    .check(z.minLength(1), z.maxLength(Limits.renamesPerOp)),
});
export const MoveOpSchema = z.strictObject({
  type: z.literal('move'),
  imageId: ImageIdSchema,
  tag: TagSchema,
  index: z.int().check(z.nonnegative()),
});
/**
 * What a `settings` op changes; a setting left out stays as it is.
 * - `triggerWord`: a word renames the old trigger word to it in every caption (first place),
 *   and puts it first in every non-excluded caption that lacks it; `null` clears the setting
 *   and leaves the captions as they are.
 * - `prefix`: the names of images imported from now on; existing files are not renamed.
 * - `tagStyle`: the style tags are stored and written in from now on; existing tags are
 *   rewritten only by a `normalize` op.
 * - `kohyaRepeats`: the repeats of a kohya export that names none.
 */
export const SettingsChangesSchema = z.strictObject({
  triggerWord: z.optional(z.nullable(TagSchema)),
  prefix: z.optional(PrefixSchema),
  tagStyle: z.optional(TagStyleSchema),
  kohyaRepeats: z.optional(KohyaRepeatsSchema),
});
export type SettingsChanges = z.infer<typeof SettingsChangesSchema>;

/** Changes dataset settings, undoably, as one op every client sees. */
export const SettingsOpSchema = z.strictObject({
  type: z.literal('settings'),
  changes: SettingsChangesSchema,
});
/**
 * Rewrites the tags of the target images to the dataset's tag style, one form per tag:
 * forms that fold together (`Blue_Eyes`, `blue eyes`) become the form most used among them.
 */
export const NormalizeOpSchema = z.strictObject({
  type: z.literal('normalize'),
  target: TargetSchema,
});
/**
 * Makes pending proposals (see `ImageRecord.proposals`) tags of the target images, after their
 * own tags, in the tag style: every pending one, or those scoring at least `minScore`, or those
 * named in `tags` (compared by fold). `onlyUntagged` limits it to images with no tags but the
 * trigger word (the tagger's `fill-empty` mode). Undo removes the tags again, and they are
 * proposed again.
 */
export const AcceptProposalsOpSchema = z.strictObject({
  type: z.literal('accept-proposals'),
  target: TargetSchema,
  minScore: z.optional(z.number().check(z.gte(0), z.lte(1))),
  tags: z.optional(NonEmptyTagsSchema),
  onlyUntagged: z.optional(z.boolean()),
});
/**
 * Hides proposals of the target images: every pending one, or the tags named (compared by
 * fold; a named tag is rejected even when it is not proposed now). A rejected tag is not
 * proposed again for that image, whatever tagger runs later.
 */
export const RejectProposalsOpSchema = z.strictObject({
  type: z.literal('reject-proposals'),
  target: TargetSchema,
  tags: z.optional(NonEmptyTagsSchema),
});
/**
 * Takes back rejections of the target images: every one, or the tags named. The inverse of
 * `reject-proposals`.
 */
export const RestoreProposalsOpSchema = z.strictObject({
  type: z.literal('restore-proposals'),
  target: TargetSchema,
  tags: z.optional(NonEmptyTagsSchema),
});
export const ExcludeOpSchema = z.strictObject({ type: z.literal('exclude'), target: TargetSchema });
export const RestoreOpSchema = z.strictObject({ type: z.literal('restore'), target: TargetSchema });

/** Every change to a dataset's tags is one of these. */
export const TagOpSchema = z.discriminatedUnion('type', [
  SetOpSchema,
  AddOpSchema,
  RemoveOpSchema,
  ReplaceOpSchema,
  RenameTagsOpSchema,
  MoveOpSchema,
  ExcludeOpSchema,
  RestoreOpSchema,
  SettingsOpSchema,
  NormalizeOpSchema,
  AcceptProposalsOpSchema,
  RejectProposalsOpSchema,
  RestoreProposalsOpSchema,
]);
export type TagOp = z.infer<typeof TagOpSchema>;
export type SetOp = z.infer<typeof SetOpSchema>;
export type AddOp = z.infer<typeof AddOpSchema>;
export type RemoveOp = z.infer<typeof RemoveOpSchema>;
export type ReplaceOp = z.infer<typeof ReplaceOpSchema>;
export type RenameTagsOp = z.infer<typeof RenameTagsOpSchema>;
export type MoveOp = z.infer<typeof MoveOpSchema>;
export type ExcludeOp = z.infer<typeof ExcludeOpSchema>;
export type RestoreOp = z.infer<typeof RestoreOpSchema>;
export type SettingsOp = z.infer<typeof SettingsOpSchema>;
export type NormalizeOp = z.infer<typeof NormalizeOpSchema>;
export type AcceptProposalsOp = z.infer<typeof AcceptProposalsOpSchema>;
export type RejectProposalsOp = z.infer<typeof RejectProposalsOpSchema>;
export type RestoreProposalsOp = z.infer<typeof RestoreProposalsOpSchema>;
export type TagOpType = TagOp['type'];

/** Identifies a client; chosen by the client, stable across its reconnects. */
export const ClientIdSchema = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1–128 letters, digits, "_", ".", ":" or "-"'),
  );
/** Identifies one op of one client; unique per client, reused when the op is resent. */
export const OpIdSchema = ClientIdSchema;
