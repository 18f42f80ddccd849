import {
  ImageIdSchema,
  ImportDuplicateSchema,
  ImportFailureSchema,
  PerceptualHashSchema,
  ProposalSchema,
  RatingSchema,
  TagOpSchema,
} from '@civtag/api-models';
import * as z from 'zod/mini';
import { ImageStateSchema, ImportJobStateSchema } from './state-schema.js';

/**
 * A tag op, from a user (`op`), from a caption file edited outside civtag (`external`), or
 * made by an import (`import`: the tag style it picked; not an undo step, like the import).
 */
export const OpEntrySchema = z.object({
  kind: z.literal('op'),
  op: TagOpSchema,
  origin: z.enum(['op', 'external', 'import']),
  /** For `external`: the caption's lines after the first, as the file now has them. */
  extraLines: z.optional(z.array(z.string())),
});

/** Go one step back, or forth, in the history. */
export const UndoEntrySchema = z.object({ kind: z.literal('undo') });
export const RedoEntrySchema = z.object({ kind: z.literal('redo') });

/** An import began (or resumed). */
export const ImportStartEntrySchema = z.object({
  kind: z.literal('import-start'),
  job: z.pick(ImportJobStateSchema, {
    id: true,
    source: true,
    recursive: true,
    tagsFromMetadata: true,
  }),
});

/** One image was copied into the dataset by an import. */
export const ImportAddEntrySchema = z.object({
  kind: z.literal('import-add'),
  jobId: z.string(),
  /** The source path, relative to the job's source folder. */
  source: z.string(),
  record: z.omit(ImageStateSchema, { rev: true, excluded: true, written: true, seen: true }),
});

/** An import finished, was cancelled or failed, with what it could not take. */
export const ImportEndEntrySchema = z.object({
  kind: z.literal('import-end'),
  jobId: z.string(),
  state: z.enum(['done', 'failed', 'cancelled']),
  failures: z.array(ImportFailureSchema),
  duplicates: z.array(ImportDuplicateSchema),
});

/**
 * An auto-tagger scored one image: its proposals and rating replace the earlier ones, and the
 * image is marked as scored by `model` (a resumed job skips it). Tags are not touched.
 */
export const ProposalsEntrySchema = z.object({
  kind: z.literal('proposals'),
  imageId: ImageIdSchema,
  model: z.string(),
  proposals: z.array(ProposalSchema),
  rating: z.optional(RatingSchema),
});

/**
 * The perceptual hashes of images that had none (a dataset made before civtag kept them),
 * worked out in the background after an open; ids no longer in the dataset are passed over.
 */
export const PerceptualHashesEntrySchema = z.object({
  kind: z.literal('perceptual-hashes'),
  hashes: z.record(ImageIdSchema, PerceptualHashSchema),
});

/** Every line of a dataset's journal is one of these. */
export const DatasetEntrySchema = z.discriminatedUnion('kind', [
  OpEntrySchema,
  UndoEntrySchema,
  RedoEntrySchema,
  ImportStartEntrySchema,
  ImportAddEntrySchema,
  ImportEndEntrySchema,
  ProposalsEntrySchema,
  PerceptualHashesEntrySchema,
]);
export type DatasetEntry = z.infer<typeof DatasetEntrySchema>;
export type OpEntry = z.infer<typeof OpEntrySchema>;
export type ImportAddEntry = z.infer<typeof ImportAddEntrySchema>;
export type ImportStartEntry = z.infer<typeof ImportStartEntrySchema>;
export type ProposalsEntry = z.infer<typeof ProposalsEntrySchema>;
export type ImportEndEntry = z.infer<typeof ImportEndEntrySchema>;
export type PerceptualHashesEntry = z.infer<typeof PerceptualHashesEntrySchema>;
