import * as z from 'zod/mini';
import { ChangeSchema } from './change.js';
import { ImageIdSchema, ImageRecordSchema } from './image.js';
import { Limits } from './limits.js';
import { ProgressPaceFields } from './progress-pace.js';
import { SettingsSchema } from './settings.js';
import { ClientIdSchema, OpIdSchema, TagOpSchema } from './tag-op.js';

/**
 * Where a dataset's caption files stand: an op is answered once it is durable, and the caption
 * files it changed are written behind it.
 */
export const CaptionProgressSchema = z.object({
  /** Images whose caption file still waits to be written (or is being written). */
  pending: z.int().check(z.nonnegative()),
  /** Of those, images whose last write failed; civtag writes them again after a pause. */
  failed: z.int().check(z.nonnegative()),
  /** Why the last write failed, while some are failed. */
  error: z.optional(z.object({ code: z.string(), message: z.string() })),
});
export type CaptionProgress = z.infer<typeof CaptionProgressSchema>;

/** `GET /api/health` */
export const HealthResponseSchema = z.object({
  ok: z.literal(true),
  version: z.string(),
  /** Images whose caption file still waits to be written; 0 once every caption is on disk. */
  captionsPending: z.optional(z.int().check(z.nonnegative())),
  /** Whether the server was started with a tagger (`civtag serve --model DIR`). */
  tagger: z.optional(z.boolean()),
  /** Where the dataset's state is kept: its `.civtag/` folder, or a PostgreSQL database. */
  store: z.optional(z.enum(['file', 'postgres'])),
  /** Whether this server writes the caption files (one server at a time on a shared store). */
  captionWriter: z.optional(z.boolean()),
  /**
   * On a shared store: the revision every caption file shows or has passed, as the server
   * writing them last recorded it (absent until one has). Behind `revision` while they are written.
   */
  captionsRevision: z.optional(z.int().check(z.nonnegative())),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

/** `GET /api/dataset` */
export const DatasetResponseSchema = z.object({
  id: z.string(),
  settings: SettingsSchema,
  revision: z.int().check(z.nonnegative()),
  imageCount: z.int().check(z.nonnegative()),
  /** Can undo / redo be done now. */
  canUndo: z.optional(z.boolean()),
  canRedo: z.optional(z.boolean()),
});
export type DatasetResponse = z.infer<typeof DatasetResponseSchema>;

/**
 * `GET /api/images?cursor&offset&limit&q`: a page goes on from `cursor` (the `nextCursor` of the
 * previous page) or starts at `offset` (the position among the images matching `q`), not both.
 */
export const ImagesQuerySchema = z.object({
  cursor: z.optional(z.string().check(z.maxLength(64))),
  offset: z.optional(z.coerce.number().check(z.int(), z.gte(0), z.lte(Number.MAX_SAFE_INTEGER))),
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(5000))),
  q: z.optional(z.string().check(z.maxLength(Limits.queryLength))),
});
export type ImagesQuery = z.infer<typeof ImagesQuerySchema>;

export const ImagesPageSchema = z.object({
  revision: z.int().check(z.nonnegative()),
  images: z.array(ImageRecordSchema),
  /** Pass as `cursor` for the next page; `null` on the last page. */
  nextCursor: z.nullable(z.string()),
  /** How many images match `q` in all. */
  total: z.optional(z.int().check(z.nonnegative())),
});
export type ImagesPage = z.infer<typeof ImagesPageSchema>;

/** `GET /api/tags` */
export const TagCountSchema = z.object({
  tag: z.string(),
  count: z.int().check(z.nonnegative()),
  /**
   * The category the server's vocabulary gives the tag (a Danbooru category number, see
   * `tagCategoryName` of `@civtag/tags`); absent without a vocabulary or when it lacks the tag.
   */
  category: z.optional(z.int()),
});
export type TagCount = z.infer<typeof TagCountSchema>;
/** `GET /api/tags`: `q` also counts the tags of the images matching that filter. */
export const TagsQuerySchema = z.object({
  q: z.optional(z.string().check(z.maxLength(Limits.queryLength))),
});
export type TagsQuery = z.infer<typeof TagsQuerySchema>;

export const TagsResponseSchema = z.object({
  revision: z.int().check(z.nonnegative()),
  /** Every tag of the images not excluded, most used first. */
  tags: z.array(TagCountSchema),
  /** With `q`: the tags of the images matching it (not excluded), most used first. */
  matching: z.optional(z.array(TagCountSchema)),
});
export type TagsResponse = z.infer<typeof TagsResponseSchema>;

/**
 * `GET /api/near-duplicates`: groups of images that look alike (resized, re-encoded or lightly
 * cropped copies of one picture), each group's ids in import order, groups in the order of their
 * first image. Excluded images are left out; images whose perceptual hash is still being worked
 * out are counted in `pending`.
 */
export const NearDuplicatesResponseSchema = z.object({
  revision: z.int().check(z.nonnegative()),
  groups: z.array(z.array(ImageIdSchema)),
  /** Images not excluded whose perceptual hash is not known yet (their groups may grow). */
  pending: z.int().check(z.nonnegative()),
});
export type NearDuplicatesResponse = z.infer<typeof NearDuplicatesResponseSchema>;

/** `POST /api/ops` */
export const OpRequestSchema = z.strictObject({
  op: TagOpSchema,
  clientId: z.optional(ClientIdSchema),
  opId: z.optional(OpIdSchema),
});
export type OpRequest = z.infer<typeof OpRequestSchema>;

/**
 * The answer of `POST /api/ops`, `/api/undo` and `/api/redo`, sent once the change is durable
 * (journaled): its revision and how many images it changed. The changed images reach every
 * client as the `change` of that revision (socket, or `GET /api/changes`); their caption files
 * are written behind the answer (`captionsPending` of `GET /api/health`).
 */
export const OpResponseSchema = z.object({
  revision: z.int().check(z.nonnegative()),
  /** How many images the change touched (0 for a resend answered from memory, or a no-op). */
  count: z.int().check(z.nonnegative()),
  /** `true` when this op was a resend of one already applied (same client id and op id). */
  duplicate: z.optional(z.boolean()),
  /** For an undo or redo: what it took back or applied again, in words (`Change.description`). */
  description: z.optional(z.string()),
});
export type OpResponse = z.infer<typeof OpResponseSchema>;

export const ImportOptionsSchema = z.strictObject({
  recursive: z.optional(z.boolean()),
  tagsFromMetadata: z.optional(z.boolean()),
});
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

/** `POST /api/imports`: `source` must lie inside one of the server's import roots. */
export const ImportRequestSchema = z.strictObject({
  source: z.string().check(z.minLength(1), z.maxLength(4096)),
  options: z.optional(ImportOptionsSchema),
});
export type ImportRequest = z.infer<typeof ImportRequestSchema>;
export const ImportStartedSchema = z.object({ jobId: z.string() });
export type ImportStarted = z.infer<typeof ImportStartedSchema>;

/** A file an import could not take, and why. */
export const ImportFailureSchema = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
});
export type ImportFailure = z.infer<typeof ImportFailureSchema>;

/** A source file whose content was already in the dataset. */
export const ImportDuplicateSchema = z.object({
  path: z.string(),
  /**
   * The source path that holds the same content, when this import brought it in (also before
   * an interruption); else the dataset file.
   */
  duplicateOf: z.string(),
  /**
   * When the duplicate had a caption file: the image that holds its tags now. The tags it
   * lacked were added to it (an undoable edit), so no caption is lost.
   */
  tagsMergedInto: z.optional(z.object({ imageId: ImageIdSchema, file: z.string() })),
});
export type ImportDuplicate = z.infer<typeof ImportDuplicateSchema>;

/** `GET /api/imports/:jobId` */
export const ImportProgressSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  done: z.int().check(z.nonnegative()),
  total: z.int().check(z.nonnegative()),
  failed: z.int().check(z.nonnegative()),
  current: z.optional(z.string()),
  failures: z.array(ImportFailureSchema),
  duplicates: z.array(ImportDuplicateSchema),
  /** Files a second, time left and since when (the scan of the folder included). */
  ...ProgressPaceFields,
});
export type ImportProgress = z.infer<typeof ImportProgressSchema>;

/** `GET /api/import-roots`: the folders a client may offer as import sources. */
export const ImportRootsResponseSchema = z.object({
  roots: z.array(
    z.object({
      root: z.string(),
      folders: z.array(z.object({ path: z.string(), imageCount: z.int() })),
    }),
  ),
});
export type ImportRootsResponse = z.infer<typeof ImportRootsResponseSchema>;

/** `GET /api/changes?since=N`: what the socket replays, for clients without one. */
export const ChangesResponseSchema = z.object({
  revision: z.int().check(z.nonnegative()),
  /** True when `since` is older than the change feed: reload everything. */
  reload: z.boolean(),
  changes: z.array(ChangeSchema),
});
export type ChangesResponse = z.infer<typeof ChangesResponseSchema>;

/** Every error answer, over HTTP and the socket. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.record(z.string(), z.unknown())),
  }),
});
