// Repeats a benchmark's run up to the profile's count, but starts no run that would end past the
// benchmark's share of the profile's time budget: on a busy machine the table then shows fewer
// runs (the count is in every cell) rather than the profile running over its 10 minutes.

/**
 * Calls `body(runIndex)` up to `count` times (always at least once) and resolves the number of
 * runs done. `deadline` is an epoch in ms (Date.now()); a run is started only when the previous
 * run's duration still fits before it.
 */
export async function repeatRuns(count, deadline, body) {
  let done = 0;
  let lastSeconds = 0;
  for (let runIndex = 0; runIndex < count; runIndex++) {
    if (runIndex > 0 && Date.now() + lastSeconds * 1000 > deadline) break;
    const started = performance.now();
    await body(runIndex);
    lastSeconds = (performance.now() - started) / 1000;
    done++;
  }
  return done;
}

/** A note for the table when fewer runs were done than the profile asks for. */
export function shortRunsNote(done, count, what = 'runs') {
  return done < count
    ? `Only ${done} of ${count} ${what}: the rest would have passed this benchmark's share of the time budget.`
    : null;
}
