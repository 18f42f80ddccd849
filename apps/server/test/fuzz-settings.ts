import { appendFileSync } from 'node:fs';
import fc from 'fast-check';

/**
 * How a fuzz target runs: a fixed seed and a bounded case count in CI, so a run is
 * reproducible and short; `pnpm fuzz` (tooling/fuzz/run.mjs) sets `CIVTAG_FUZZ_SEED` and
 * `CIVTAG_FUZZ_RUNS` for long runs, and `CIVTAG_FUZZ_REPORT` to collect what each target ran.
 */
const DEFAULT_SEED = 20_261_130;

/** The seed of this run: `CIVTAG_FUZZ_SEED`, else a fixed one. */
export function fuzzSeed(): number {
  const text = process.env.CIVTAG_FUZZ_SEED;
  if (text === undefined || text === '') return DEFAULT_SEED;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed))
    throw new Error(`CIVTAG_FUZZ_SEED must be a whole number, not "${text}".`);
  return seed;
}

/** Cases per property: `CIVTAG_FUZZ_RUNS`, else `ciRuns` (the count CI can afford). */
export function fuzzRuns(ciRuns: number): number {
  const text = process.env.CIVTAG_FUZZ_RUNS;
  if (text === undefined || text === '') return ciRuns;
  const runs = Number(text);
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`CIVTAG_FUZZ_RUNS must be a whole number of cases, not "${text}".`);
  return runs;
}

/**
 * Checks `property` for {@link fuzzRuns} cases from {@link fuzzSeed}, appends what ran to the
 * `CIVTAG_FUZZ_REPORT` file (one JSON line: target, cases, milliseconds, seed, failure), and
 * throws fast-check's report (seed, path, counterexample) when a case fails. A `stateful` target
 * (its cases share a live server) is reported as it first failed, without shrinking.
 */
export async function checkFuzzTarget<Ts>(
  target: string,
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  ciRuns: number,
  options: { stateful?: boolean } = {},
): Promise<void> {
  const seed = fuzzSeed();
  const started = performance.now();
  // A target whose cases share a live server cannot shrink: a smaller case meets another state.
  const details = await fc.check(property, {
    numRuns: fuzzRuns(ciRuns),
    seed,
    endOnFailure: options.stateful === true,
  });
  const failure = details.failed
    ? `${fc.defaultReportMessage(details)}\n${describeError(details.errorInstance)}`
    : undefined;
  const reportFile = process.env.CIVTAG_FUZZ_REPORT;
  if (reportFile !== undefined && reportFile !== '') {
    const line = {
      target,
      cases: details.numRuns,
      ms: Math.round(performance.now() - started),
      seed,
      failure: failure?.slice(0, 4000),
    };
    appendFileSync(reportFile, `${JSON.stringify(line)}\n`);
  }
  if (failure !== undefined) throw new Error(failure);
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
