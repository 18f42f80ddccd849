import fc from 'fast-check';

/*
 * How a fuzz target runs: a fixed seed and a bounded case count in CI, so a run is reproducible
 * and short. `pnpm fuzz` (tooling/fuzz/run.mjs) sets `CIVTAG_FUZZ_SEED` and `CIVTAG_FUZZ_RUNS`
 * for long runs, and `CIVTAG_FUZZ_REPORT=1` to have each target print one line of what it ran.
 */

const DEFAULT_SEED = 20_261_130;

/** The environment, read without Node's types (browser-safe packages test with this too). */
/** @param {string} name @returns {string | undefined} */
function environment(name) {
  const runtime = /** @type {{ process?: { env?: Record<string, string | undefined> } }} */ (
    globalThis
  );
  const value = runtime.process?.env?.[name];
  return value === '' ? undefined : value;
}

/** The seed of this run: `CIVTAG_FUZZ_SEED`, else a fixed one. */
export function fuzzSeed() {
  const text = environment('CIVTAG_FUZZ_SEED');
  if (text === undefined) return DEFAULT_SEED;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed))
    throw new Error(`CIVTAG_FUZZ_SEED must be a whole number, not "${text}".`);
  return seed;
}

/** Cases per property: `CIVTAG_FUZZ_RUNS`, else `ciRuns` (the count CI can afford). */
export function fuzzRuns(ciRuns) {
  const text = environment('CIVTAG_FUZZ_RUNS');
  if (text === undefined) return ciRuns;
  const runs = Number(text);
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`CIVTAG_FUZZ_RUNS must be a whole number of cases, not "${text}".`);
  return runs;
}

/**
 * The time limit of a fuzz test: `ciMs` for CI's bounded run; none worth the name (a day) when
 * `CIVTAG_FUZZ_RUNS` asks for a long run, whose length is the point.
 */
export function fuzzTimeout(ciMs) {
  return environment('CIVTAG_FUZZ_RUNS') === undefined ? ciMs : 24 * 60 * 60 * 1000;
}

/**
 * Checks `property` for {@link fuzzRuns} cases from {@link fuzzSeed}, prints what ran when
 * `CIVTAG_FUZZ_REPORT` is set (one `civtag-fuzz-result {…}` line: target, cases, milliseconds,
 * seed, failure), and throws fast-check's report (seed, path, counterexample) when a case fails.
 * A `stateful` target (its cases share a live server) is reported as it first failed, without
 * shrinking: a smaller case would meet another state.
 */
export async function checkFuzzTarget(target, property, ciRuns, options = {}) {
  const seed = fuzzSeed();
  const started = performance.now();
  const details = await fc.check(property, {
    numRuns: fuzzRuns(ciRuns),
    seed,
    endOnFailure: options.stateful === true,
  });
  // What broke first, then fast-check's seed, path and counterexample.
  const failure = details.failed
    ? `${shorten(describeError(details.errorInstance), 1500)}\n${fc.defaultReportMessage(details)}`
    : undefined;
  if (environment('CIVTAG_FUZZ_REPORT') !== undefined) {
    const line = {
      target,
      cases: details.numRuns,
      ms: Math.round(performance.now() - started),
      seed,
      failure: failure === undefined ? undefined : shorten(failure, 2000),
    };
    console.log(`civtag-fuzz-result ${JSON.stringify(line)}`);
  }
  // A counterexample can be megabytes of text; the seed and path at its top replay it.
  if (failure !== undefined) throw new Error(shorten(failure, 12_000));
}

function describeError(error) {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function shorten(text, length) {
  return text.length <= length
    ? text
    : `${text.slice(0, length)}… (${text.length - length} more characters)`;
}
