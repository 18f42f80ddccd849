import * as z from 'zod/mini';
import { TagSchema } from './settings.js';

/**
 * A tag an auto-tagger proposes for an image, with its score (0–1). `tag` is the tagger's own
 * name (`long_hair`); accepting it stores it in the dataset's tag style.
 */
export const ProposalSchema = z.object({
  tag: TagSchema,
  score: z.number().check(z.gte(0), z.lte(1)),
  category: z.enum(['general', 'character']),
});
export type Proposal = z.infer<typeof ProposalSchema>;

/** The rating a tagger gives an image (`general`, `sensitive`, `questionable`, `explicit` for the WD taggers). */
export const RatingSchema = z.object({
  label: z.string().check(z.minLength(1), z.maxLength(64)),
  score: z.number().check(z.gte(0), z.lte(1)),
});
export type Rating = z.infer<typeof RatingSchema>;
