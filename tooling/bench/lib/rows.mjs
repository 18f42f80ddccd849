// Builds the rows of a benchmark's table from raw samples: summary, ratio and the target's verdict.
import { summarize } from './statistics.mjs';

/**
 * One figure of civtag beside its baseline.
 * - `civtag` / `baseline.samples`: one number per run (NaN for a failed run is dropped).
 * - `target.check(civtagMedian, ratio, baselineMedian)` says whether the target is met; leave it
 *   out for a figure that only informs.
 */
export function compareRow({ what, unit, civtag, baseline, target }) {
  const civtagSummary = civtag?.length ? summarize(civtag) : null;
  const baselineSummary = baseline?.samples?.length ? summarize(baseline.samples) : null;
  const usable = (summary) => summary && summary.runs > 0 && Number.isFinite(summary.median);
  const ratio =
    usable(civtagSummary) && usable(baselineSummary) && baselineSummary.median !== 0
      ? civtagSummary.median / baselineSummary.median
      : null;
  let pass = null;
  if (usable(civtagSummary) && target?.check) {
    pass = Boolean(target.check(civtagSummary.median, ratio, baselineSummary?.median ?? null));
  }
  return {
    what,
    unit,
    civtag: usable(civtagSummary) ? civtagSummary : null,
    civtagNote: usable(civtagSummary) ? undefined : 'no successful run',
    baseline: baseline
      ? {
          name: baseline.name,
          unit: baseline.unit,
          summary: usable(baselineSummary) ? baselineSummary : null,
          note: baseline.note ?? 'no successful run',
        }
      : null,
    ratio,
    target: target?.text ?? '—',
    pass,
  };
}

/** A row for a figure that could not be measured, with the reason in the civtag column. */
export function notMeasuredRow({ what, unit, reason, baseline, target }) {
  const row = compareRow({ what, unit, civtag: [], baseline, target });
  row.civtagNote = reason;
  return row;
}

/** The message of anything thrown, on one line, short enough for a table cell. */
export function describeFailure(error) {
  const code = error?.code ? `${error.code}: ` : '';
  const text = `${code}${error?.message ?? String(error)}`.replace(/\s+/g, ' ').trim();
  return text.length > 240 ? `${text.slice(0, 237)}…` : text;
}
