// Order statistics for benchmark samples. Several runs of one figure are summarised by their
// median and spread; latencies inside one run by percentiles.

/**
 * The q-quantile (0 ≤ q ≤ 1) of the samples, linearly interpolated between closest ranks.
 * Returns NaN for an empty list.
 */
export function quantile(samples, q) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((left, right) => left - right);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const fraction = position - below;
  return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

export function median(samples) {
  return quantile(samples, 0.5);
}

/**
 * Summarises the results of repeated runs: median, min, max, interquartile range and count.
 * The table shows min–max for a handful of runs and the IQR once there are enough to mean something.
 */
export function summarize(samples) {
  const finite = samples.filter((value) => Number.isFinite(value));
  return {
    median: median(finite),
    min: finite.length ? Math.min(...finite) : Number.NaN,
    max: finite.length ? Math.max(...finite) : Number.NaN,
    q1: quantile(finite, 0.25),
    q3: quantile(finite, 0.75),
    runs: finite.length,
    samples: finite,
  };
}

/** Percentiles of one run's latencies, for p50/p99 figures. */
export function percentiles(samples) {
  return {
    p50: quantile(samples, 0.5),
    p99: quantile(samples, 0.99),
    max: samples.length ? Math.max(...samples) : Number.NaN,
    count: samples.length,
  };
}
