// The sizes of a benchmark run. `quick` must finish in under 10 minutes on 2 cores; `full` runs
// the sizes that the targets are stated for (1,000 images to import, 100k-image datasets, 500
// clients) in about an hour, with 3 runs of each figure.

export const PROFILES = {
  quick: {
    name: 'quick',
    importImages: 200,
    importRuns: 3,
    hashRuns: 5,
    servingSeconds: 3,
    servingRuns: 3,
    editClientCounts: [1, 10, 100, 500],
    editOps: 150,
    editRuns: 3,
    bulkImages: 10_000,
    bulkRuns: 2,
    sessionImages: 10_000,
    sessionRuns: 3,
    gridImages: 10_000,
    gridRuns: 1,
    gridPaintRuns: 3,
    autotagImages: 96,
    autotagRuns: 5,
    // The model of a real tagger's compute takes ~0.5 s of CPU per image on 2 cores.
    autotagHeavyImages: 16,
    autotagHeavyRuns: 3,
    benchmarkTimeoutSeconds: 240,
    // 8 minutes of measuring leaves room for the build that `pnpm bench` runs first.
    totalBudgetSeconds: 480,
  },
  full: {
    name: 'full',
    importImages: 1000,
    importRuns: 3,
    hashRuns: 5,
    servingSeconds: 5,
    servingRuns: 3,
    editClientCounts: [1, 10, 100, 500],
    editOps: 400,
    editRuns: 3,
    bulkImages: 100_000,
    bulkRuns: 3,
    sessionImages: 100_000,
    sessionRuns: 3,
    gridImages: 100_000,
    // One scroll through 100k images takes two minutes; three give the longest task a median.
    gridRuns: 3,
    gridPaintRuns: 3,
    autotagImages: 240,
    autotagRuns: 5,
    autotagHeavyImages: 48,
    autotagHeavyRuns: 3,
    benchmarkTimeoutSeconds: 1200,
    // About an hour on 2 cores, the inputs' first build (run.mjs does it before the clock starts) aside.
    totalBudgetSeconds: 3600,
  },
  /** Checks the plumbing in a minute; its figures mean nothing and it never writes BENCHMARKS.md. */
  smoke: {
    name: 'smoke',
    importImages: 12,
    importRuns: 1,
    hashRuns: 1,
    servingSeconds: 1,
    servingRuns: 1,
    editClientCounts: [1, 10],
    editOps: 20,
    editRuns: 1,
    bulkImages: 300,
    bulkRuns: 1,
    sessionImages: 300,
    sessionRuns: 1,
    gridImages: 300,
    gridRuns: 1,
    gridPaintRuns: 2,
    autotagImages: 8,
    autotagRuns: 1,
    autotagHeavyImages: 4,
    autotagHeavyRuns: 1,
    benchmarkTimeoutSeconds: 240,
    totalBudgetSeconds: 600,
  },
};

/** Reads `--full` or `--smoke` from the command line; otherwise the quick profile. */
export function profileFromArguments(argv) {
  if (argv.includes('--full')) return PROFILES.full;
  if (argv.includes('--smoke')) return PROFILES.smoke;
  return PROFILES.quick;
}
