import { CivtagError, ErrorCode } from '@civtag/api-models';
import { foldTag } from '@civtag/tags';
import type { TaggerLabel } from './selected-tags-csv.js';

/** A tag the tagger proposes for an image. */
export interface TagProposal {
  /** The tag as the model names it (`long_hair`); see `toCaptionTag` for its caption form. */
  tag: string;
  /** The model's probability, 0–1. */
  score: number;
  category: 'general' | 'character';
}

/** The most likely rating of an image (`general`, `sensitive`, `questionable`, `explicit`). */
export interface RatingScore {
  label: string;
  score: number;
}

/** A fixed score threshold (a tag is proposed at or above it), or `'mcut'`. */
export type Threshold = number | 'mcut';

/** What is proposed from an image's scores. */
export interface TagSelectionOptions {
  /**
   * Per category. Defaults: general `0.35`, character `0.85`. `'mcut'` picks, per image, the
   * middle of the largest gap between the sorted scores of the category (Maximum Cut
   * Thresholding, as the WD tagger implementations do); for characters it is never below
   * `0.15`, as there.
   */
  thresholds?: { general?: Threshold; character?: Threshold };
  /** Tags never proposed, compared as civtag compares tags (`long hair` excludes `long_hair`). */
  exclude?: Iterable<string>;
  /** At most this many proposals per image, the highest scores. Default: no limit. */
  maxTags?: number;
}

/** The defaults of {@link TagSelectionOptions.thresholds}. */
export const DEFAULT_THRESHOLDS = { general: 0.35, character: 0.85 } as const;

/** The lowest threshold MCut may give characters (SmilingWolf's tagger app does the same). */
const CHARACTER_MCUT_FLOOR = 0.15;

/**
 * Maximum Cut Thresholding (Largest Gap, Mcut): sort the scores, find the largest drop between
 * neighbours, and cut in its middle. With fewer than two scores everything is kept (`0`).
 *
 * @example mcutThreshold([0.9, 0.8, 0.2, 0.1]) // 0.5
 */
export function mcutThreshold(scores: ArrayLike<number>): number {
  if (scores.length < 2) return 0;
  const sorted = Float64Array.from(scores).sort().reverse();
  let best = 0;
  let largestGap = Number.NEGATIVE_INFINITY;
  for (let index = 0; index + 1 < sorted.length; index += 1) {
    const gap = (sorted[index] as number) - (sorted[index + 1] as number);
    if (gap > largestGap) {
      largestGap = gap;
      best = index;
    }
  }
  return ((sorted[best] as number) + (sorted[best + 1] as number)) / 2;
}

/** A selection worked out once per run: which outputs are which, what is excluded. */
export interface TagSelector {
  select(
    scores: ArrayLike<number>,
    offset?: number,
  ): { proposals: TagProposal[]; rating: RatingScore | undefined };
}

/**
 * Prepares the selection of proposals for a model with these labels, so that each image costs
 * only its scores. `scores` of `select` may hold a whole batch; `offset` is where the image's
 * row starts.
 *
 * @throws {CivtagError} `VALIDATION` when a threshold is not `'mcut'` or a number in 0–1, or
 *   `maxTags` is not a positive integer.
 */
export function createTagSelector(
  labels: readonly TaggerLabel[],
  options: TagSelectionOptions = {},
): TagSelector {
  const general = checkThreshold(
    'general',
    options.thresholds?.general ?? DEFAULT_THRESHOLDS.general,
  );
  const character = checkThreshold(
    'character',
    options.thresholds?.character ?? DEFAULT_THRESHOLDS.character,
  );
  const maxTags = options.maxTags ?? Number.POSITIVE_INFINITY;
  if (maxTags !== Number.POSITIVE_INFINITY && !(Number.isInteger(maxTags) && maxTags > 0)) {
    throw new CivtagError(
      ErrorCode.VALIDATION,
      `maxTags must be a positive integer, not ${maxTags}.`,
      {
        details: { field: 'maxTags', value: maxTags },
      },
    );
  }
  const excluded = new Set([...(options.exclude ?? [])].map((tag) => foldTag(tag)));
  const indices = { rating: [] as number[], general: [] as number[], character: [] as number[] };
  labels.forEach((label, index) => {
    if (label.category !== undefined) indices[label.category].push(index);
  });
  const proposable = {
    general: indices.general.filter((index) => !excluded.has(foldTag(labels[index]?.name ?? ''))),
    character: indices.character.filter(
      (index) => !excluded.has(foldTag(labels[index]?.name ?? '')),
    ),
  };

  const thresholdOf = (
    threshold: Threshold,
    category: 'general' | 'character',
    row: (i: number) => number,
  ): number => {
    if (threshold !== 'mcut') return threshold;
    const cut = mcutThreshold(indices[category].map(row));
    return category === 'character' ? Math.max(CHARACTER_MCUT_FLOOR, cut) : cut;
  };

  return {
    select(scores, offset = 0) {
      const score = (index: number): number => scores[offset + index] as number;
      const proposals: TagProposal[] = [];
      for (const [category, threshold] of [
        ['general', general],
        ['character', character],
      ] as const) {
        const cut = thresholdOf(threshold, category, score);
        for (const index of proposable[category]) {
          const value = score(index);
          if (value >= cut)
            proposals.push({ tag: (labels[index] as TaggerLabel).name, score: value, category });
        }
      }
      proposals.sort((a, b) => b.score - a.score);
      if (proposals.length > maxTags) proposals.length = maxTags;
      let rating: RatingScore | undefined;
      for (const index of indices.rating) {
        const value = score(index);
        if (rating === undefined || value > rating.score) {
          rating = { label: (labels[index] as TaggerLabel).name, score: value };
        }
      }
      return { proposals, rating };
    },
  };
}

/**
 * The proposals and rating of one image from its scores (one per label, in label order).
 * See {@link TagSelectionOptions} for the rules.
 *
 * @throws {CivtagError} `VALIDATION` for options out of range (see {@link createTagSelector}).
 */
export function selectTags(
  labels: readonly TaggerLabel[],
  scores: ArrayLike<number>,
  options: TagSelectionOptions = {},
): { proposals: TagProposal[]; rating: RatingScore | undefined } {
  return createTagSelector(labels, options).select(scores);
}

function checkThreshold(name: string, threshold: Threshold): Threshold {
  if (threshold === 'mcut') return threshold;
  if (typeof threshold === 'number' && threshold >= 0 && threshold <= 1) return threshold;
  throw new CivtagError(
    ErrorCode.VALIDATION,
    `The ${name} threshold must be 'mcut' or a number from 0 to 1, not ${String(threshold)}.`,
    { details: { field: `thresholds.${name}`, value: String(threshold) } },
  );
}
