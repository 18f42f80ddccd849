import * as z from 'zod/mini';

/**
 * The pace fields of a long job's progress (an import, an auto-tag job): spread into its schema.
 * The server measures them over the last seconds (see core's `ProgressRate`).
 */
export const ProgressPaceFields = {
  /** Since the job began. */
  elapsedMs: z.optional(z.int().check(z.nonnegative())),
  /** Items a second over the last few seconds, once there is a pace to measure. */
  perSecond: z.optional(z.number().check(z.nonnegative())),
  /** At that pace; 0 once every item is done. */
  remainingMs: z.optional(z.int().check(z.nonnegative())),
};

/** A job's pace, as its progress carries it. */
export interface ProgressPace {
  elapsedMs?: number | undefined;
  perSecond?: number | undefined;
  remainingMs?: number | undefined;
}

/** `42s`, `1m05s`, `2h03m`: a duration as a progress line shows it. */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * `34.5 files/s · 1m20s left` (`unit` in the plural); without a pace yet, how long it has run
 * (`12s so far`); `undefined` when the progress says neither.
 */
export function describePace(pace: ProgressPace, unit: string): string | undefined {
  const parts: string[] = [];
  if (pace.perSecond !== undefined) {
    const rate = pace.perSecond >= 10 ? Math.round(pace.perSecond) : pace.perSecond.toFixed(1);
    parts.push(`${rate} ${unit}/s`);
  }
  if (pace.remainingMs !== undefined && pace.remainingMs > 0) {
    parts.push(`${formatDuration(pace.remainingMs)} left`);
  }
  if (parts.length === 0 && pace.elapsedMs !== undefined) {
    parts.push(`${formatDuration(pace.elapsedMs)} so far`);
  }
  return parts.length === 0 ? undefined : parts.join(' · ');
}
