import * as z from 'zod/mini';
import { Limits } from './limits.js';

/** How often kohya sd-scripts shows each image per epoch: the `<repeats>_` of its folder name. */
export const KohyaRepeatsSchema = z.int().check(z.gte(1), z.lte(Limits.kohyaRepeats));

/** A zip of image + caption pairs at its root: what Civitai's trainer takes. */
export const ZipExportOptionsSchema = z.strictObject({ format: z.literal('zip') });

/** A `<repeats>_<trigger word or prefix>/` folder inside `outDir`: what kohya sd-scripts takes. */
export const KohyaExportOptionsSchema = z.strictObject({
  format: z.literal('kohya'),
  /** The folder the kohya folder is made in. */
  outDir: z.string().check(z.minLength(1)),
  /** Default 10. */
  repeats: z.optional(KohyaRepeatsSchema),
});

/** What a dataset export takes: `{ format: 'zip' }` or `{ format: 'kohya', outDir, repeats? }`. */
export const ExportOptionsSchema = z.discriminatedUnion(
  'format',
  [ZipExportOptionsSchema, KohyaExportOptionsSchema],
  { error: (issue) => (issue.code === 'invalid_union' ? 'must be "zip" or "kohya"' : undefined) },
);
export type ExportOptions = z.infer<typeof ExportOptionsSchema>;
export type ZipExportOptions = z.infer<typeof ZipExportOptionsSchema>;
export type KohyaExportOptions = z.infer<typeof KohyaExportOptionsSchema>;
