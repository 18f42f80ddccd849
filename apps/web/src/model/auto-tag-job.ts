import {
  type AutoTagMode,
  type AutoTagProgress,
  type AutoTagRequest,
  describePace,
  Limits,
  type TaggerThreshold,
  type Target,
} from '@civtag/api-models';
import { splitTags } from './bulk-op.js';
import { formatCount } from './format-count.js';

/** What the auto-tag dialog holds, as typed. */
export interface AutoTagForm {
  mode: AutoTagMode;
  /** A percentage (`35`) or `mcut`. */
  general: string;
  character: string;
  /** Tags never proposed, comma-separated. */
  exclude: string;
  /** The most tags proposed per image, highest scores first; empty for no limit. */
  maxTags: string;
  rescore: boolean;
}

export const DEFAULT_AUTO_TAG_FORM: AutoTagForm = {
  mode: 'propose',
  general: '35',
  character: '85',
  exclude: '',
  maxTags: '',
  rescore: false,
};

/** A threshold as typed: `mcut`, or a percentage 0–100 (`35`, `35%`); `null` when neither. */
export function parseThreshold(text: string): TaggerThreshold | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'mcut') return 'mcut';
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(trimmed);
  if (match?.[1] === undefined) return null;
  const percent = Number(match[1]);
  return percent <= 100 ? Math.round(percent * 100) / 10_000 : null;
}

/** The most tags per image as typed: a whole number 1–1000, `undefined` when empty, else `null`. */
export function parseMaxTags(text: string): number | undefined | null {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (!/^\d+$/.test(trimmed)) return null;
  const count = Number(trimmed);
  return count >= 1 && count <= Limits.tagsPerImage ? count : null;
}

/**
 * The `POST /api/autotag` body for `form` over `target`, or the reason it cannot be sent (a
 * threshold that is neither a percentage nor `mcut`, a tag limit that is not a whole number).
 */
export function autoTagRequest(
  form: AutoTagForm,
  target: Target,
): { request: AutoTagRequest } | { error: string } {
  const general = parseThreshold(form.general);
  if (general === null) return { error: 'The general threshold is a percentage (0–100) or mcut.' };
  const character = parseThreshold(form.character);
  if (character === null)
    return { error: 'The character threshold is a percentage (0–100) or mcut.' };
  const maxTags = parseMaxTags(form.maxTags);
  if (maxTags === null) {
    return {
      error: `The most tags per image is a whole number from 1 to ${Limits.tagsPerImage}, or empty for no limit.`,
    };
  }
  const exclude = [...new Set(splitTags(form.exclude))];
  const request: AutoTagRequest = {
    target,
    mode: form.mode,
    thresholds: { general, character },
  };
  if (exclude.length > 0) request.exclude = exclude;
  if (maxTags !== undefined) request.maxTags = maxTags;
  if (form.rescore) request.rescore = true;
  return { request };
}

/** A job's progress said in a line: `Tagging: 40 of 120 images · 3 skipped · 1 failed`. */
export function describeAutoTagProgress(progress: AutoTagProgress): string {
  const counts = `${progress.done} of ${formatCount(progress.total, 'image')}`;
  const head = {
    running: `Tagging: ${counts}`,
    done: `Tagging done: ${counts}`,
    cancelled: `Tagging cancelled: ${counts}`,
    failed: `Tagging failed: ${counts}`,
  }[progress.state];
  const parts = [head];
  if (progress.skipped > 0) parts.push(`${progress.skipped} skipped (scored before)`);
  if (progress.failed.length > 0) parts.push(`${progress.failed.length} failed`);
  if (progress.tagged > 0) parts.push(`${formatCount(progress.tagged, 'caption')} changed`);
  const pace = progress.state === 'running' ? describePace(progress, 'images') : undefined;
  if (pace !== undefined) parts.push(pace);
  return parts.join(' · ');
}

/** The share of the job done, 0–1 (1 for a job with nothing to do). */
export function autoTagFraction(progress: AutoTagProgress): number {
  return progress.total === 0 ? 1 : Math.min(1, progress.done / progress.total);
}

/**
 * The progress to show when `next` arrives while `current` is shown: a frame of another job
 * replaces it, but an older word on the same job (a `GET /api/autotag` answer overtaken by the
 * socket's frames) does not undo a later one.
 */
export function laterProgress(
  current: AutoTagProgress | null,
  next: AutoTagProgress,
): AutoTagProgress {
  if (current === null || current.jobId !== next.jobId) return next;
  if (current.state !== 'running' && next.state === 'running') return current;
  if (current.state === 'running' && next.state === 'running' && next.done < current.done)
    return current;
  return next;
}

/**
 * What to show of `shown` when the server knows no job (it was restarted): a job shown as
 * running ended with the server, so it says so instead of running on with a dead Cancel.
 */
export function orphaned(shown: AutoTagProgress | null): AutoTagProgress | null {
  if (shown?.state !== 'running') return shown;
  return {
    ...shown,
    state: 'failed',
    error: {
      code: 'SHUTTING_DOWN',
      message:
        'The server stopped during this job. What it scored is kept: start tagging again to score the rest.',
    },
  };
}
