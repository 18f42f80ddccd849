import type fc from 'fast-check';

/** The seed of this run: `CIVTAG_FUZZ_SEED`, else a fixed one. */
export function fuzzSeed(): number;
/** Cases per property: `CIVTAG_FUZZ_RUNS`, else `ciRuns` (the count CI can afford). */
export function fuzzRuns(ciRuns: number): number;
/** The time limit of a fuzz test: `ciMs` in CI; a day when `CIVTAG_FUZZ_RUNS` asks for a long run. */
export function fuzzTimeout(ciMs: number): number;
/**
 * Checks `property` for `fuzzRuns(ciRuns)` cases from `fuzzSeed()`, prints one
 * `civtag-fuzz-result {…}` line when `CIVTAG_FUZZ_REPORT` is set, and throws fast-check's report
 * (seed, path, counterexample) when a case fails. A `stateful` target (its cases share a live
 * server) is reported as it first failed, without shrinking.
 */
export function checkFuzzTarget<Ts>(
  target: string,
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  ciRuns: number,
  options?: { stateful?: boolean },
): Promise<void>;
