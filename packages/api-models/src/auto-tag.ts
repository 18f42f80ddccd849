import * as z from 'zod/mini';
import { ImageIdSchema } from './image.js';
import { Limits } from './limits.js';
import { ProgressPaceFields } from './progress-pace.js';
import { TagSchema } from './settings.js';
import { TargetSchema } from './tag-op.js';

/** A per-category threshold: a score (0–1), or `'mcut'` (the largest gap between sorted scores). */
export const TaggerThresholdSchema = z.union([
  z.number().check(z.gte(0), z.lte(1)),
  z.literal('mcut'),
]);
export type TaggerThreshold = z.infer<typeof TaggerThresholdSchema>;

/**
 * What an auto-tag job does with the captions: `propose` (nothing, proposals only), `fill-empty`
 * (images with no tag but the trigger word get their proposals), `append` (proposals after an
 * image's own tags).
 */
export const AutoTagModeSchema = z.enum(['propose', 'fill-empty', 'append']);
export type AutoTagMode = z.infer<typeof AutoTagModeSchema>;

/** `POST /api/autotag`: start an auto-tag job with the tagger the server was started with. */
export const AutoTagRequestSchema = z.strictObject({
  /** Which images; default every image that is not excluded. */
  target: z.optional(TargetSchema),
  /** Default `propose`. */
  mode: z.optional(AutoTagModeSchema),
  thresholds: z.optional(
    z.strictObject({
      general: z.optional(TaggerThresholdSchema),
      character: z.optional(TaggerThresholdSchema),
    }),
  ),
  /** Tags never proposed. */
  exclude: z.optional(z.array(TagSchema).check(z.maxLength(Limits.tagsPerImage))),
  /** At most this many proposals per image. */
  maxTags: z.optional(z.int().check(z.gte(1), z.lte(Limits.tagsPerImage))),
  /** Score again images this model scored already (default: they are skipped). */
  rescore: z.optional(z.boolean()),
});
export type AutoTagRequest = z.infer<typeof AutoTagRequestSchema>;

/** An image an auto-tag job could not score. */
export const AutoTagFailureSchema = z.object({
  imageId: ImageIdSchema,
  file: z.string(),
  code: z.string(),
  message: z.string(),
});
export type AutoTagFailure = z.infer<typeof AutoTagFailureSchema>;

/** How far an auto-tag job is (`GET /api/autotag`, the socket's `tagging` frame). */
export const AutoTagProgressSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** Images the job tags (the target less those skipped). */
  total: z.int().check(z.nonnegative()),
  /** Of those, images whose results are journaled or that failed. */
  done: z.int().check(z.nonnegative()),
  /** Images scored and journaled in this run. */
  scored: z.int().check(z.nonnegative()),
  /** Images skipped because this model scored them before. */
  skipped: z.int().check(z.nonnegative()),
  /** Images that could not be scored (on the socket, the last few only). */
  failed: z.array(AutoTagFailureSchema),
  /** Images whose tags the job changed (`fill-empty`, `append`). */
  tagged: z.int().check(z.nonnegative()),
  /** Why a `failed` job stopped. */
  error: z.optional(z.object({ code: z.string(), message: z.string() })),
  /** Images a second, time left and since when. */
  ...ProgressPaceFields,
});
export type AutoTagProgress = z.infer<typeof AutoTagProgressSchema>;

/** `GET /api/autotag`: the job running now or the last one, and whether the server has a tagger. */
export const AutoTagStatusSchema = z.object({
  tagger: z.boolean(),
  job: z.optional(AutoTagProgressSchema),
});
export type AutoTagStatus = z.infer<typeof AutoTagStatusSchema>;
