import * as z from 'zod/mini';

/** What `dataset.check()` can find before training. */
export const CheckProblemCodeSchema = z.enum([
  'EMPTY_CAPTION',
  'IMAGE_TOO_SMALL',
  'DUPLICATE_STEM',
  'CAPTION_NOT_UTF8',
  'CAPTION_HAS_BOM',
  'TRIGGER_NOT_FIRST',
  'TOO_MANY_FOR_CIVITAI',
  'FILE_MISSING',
  'FILE_EXTRA',
  'CAPTION_OUT_OF_DATE',
  'JOURNAL_LINE_SET_ASIDE',
  'CAPTIONS_WAITING',
]);
export type CheckProblemCode = z.infer<typeof CheckProblemCodeSchema>;

export const CheckProblemSchema = z.object({
  code: CheckProblemCodeSchema,
  /** An error stops a training run or loses data; a warning is worth a look. */
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  imageIds: z.optional(z.array(z.string())),
  files: z.optional(z.array(z.string())),
});
export type CheckProblem = z.infer<typeof CheckProblemSchema>;

export const CheckReportSchema = z.object({
  /** No problem of severity `error`. */
  ok: z.boolean(),
  imageCount: z.int().check(z.nonnegative()),
  problems: z.array(CheckProblemSchema),
});
export type CheckReport = z.infer<typeof CheckReportSchema>;
