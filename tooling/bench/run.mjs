#!/usr/bin/env node
// `pnpm bench [--full | --smoke] [--only=id,id]`: runs each benchmark in its own process, prints progress,
// and rewrites the tables of BENCHMARKS.md. Nothing here asserts a time: the tables are read by
// people, who compare ratios from run to run.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBenchmark, stopRunningBenchmark, titleOf } from './lib/benchmark-process.mjs';
import { describeMachine } from './lib/machine.mjs';
import { profileFromArguments } from './lib/profile.mjs';
import { renderReport, rewriteBenchmarksFile } from './lib/report.mjs';

const benchFolder = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = resolve(benchFolder, '../..');

/**
 * In the order they run, the cheap ones first. `weight` is a benchmark's share of the time left:
 * it starts no further run past its share (its hard limit is all the time left).
 */
const BENCHMARKS = [
  { id: 'bundle-size', weight: 1 },
  { id: 'hash-file', weight: 2 },
  { id: 'import', weight: 6 },
  { id: 'autotag', weight: 2 },
  { id: 'thumbnail-serving', weight: 2 },
  { id: 'edit-latency', weight: 4 },
  { id: 'postgres', weight: 4 },
  { id: 'bulk-op', weight: 4 },
  { id: 'session-open', weight: 2 },
  { id: 'web-grid', weight: 4 },
];

let workFolder = null;

/**
 * Builds the cached inputs of the selected benchmarks (lib/prepare-inputs.mjs) in a child
 * process, before the budget's clock starts; resolves the seconds it took.
 */
async function prepareInputs(profile, selected) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      join(benchFolder, 'lib', 'prepare-inputs.mjs'),
      JSON.stringify(profile),
      selected.map(({ id }) => id).join(','),
    ],
    { cwd: repositoryRoot, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const [code] = await once(child, 'exit');
  const seconds = (performance.now() - started) / 1000;
  console.log(
    code === 0
      ? `✓ inputs ready (${seconds.toFixed(1)} s)`
      : `✗ inputs (${seconds.toFixed(1)} s): some could not be prepared; their benchmarks will say why`,
  );
  return seconds;
}

async function main() {
  const profile = profileFromArguments(process.argv);
  const only = process.argv.find((argument) => argument.startsWith('--only='));
  const wanted = only ? only.slice('--only='.length).split(',') : BENCHMARKS.map(({ id }) => id);
  const selected = BENCHMARKS.filter(({ id }) => wanted.includes(id));
  workFolder = await mkdtemp(join(tmpdir(), 'civtag-bench-'));
  const machine = await describeMachine(workFolder);
  console.log(
    `civtag bench, ${profile.name} profile: ${machine.cores} cores, ${machine.cpuModel}, ` +
      `Node ${machine.node}, load ${machine.loadAverageAtStart}`,
  );
  const prepareSeconds = await prepareInputs(profile, selected);
  const started = performance.now();
  const sections = [];
  try {
    for (const [index, { id, weight }] of selected.entries()) {
      const benchmarkStarted = performance.now();
      // The whole profile has a budget (quick: under 10 minutes); each benchmark gets what is left.
      const left = profile.totalBudgetSeconds - (benchmarkStarted - started) / 1000;
      if (left < 10) {
        sections.push({
          id,
          title: await titleOf(id),
          failure: `the ${profile.name} profile's time budget ran out before it`,
          rows: [],
        });
        console.log(`✗ ${id}: skipped, the time budget ran out`);
        continue;
      }
      console.log(`▶ ${id}`);
      const weightLeft = selected
        .slice(index)
        .reduce((sum, benchmark) => sum + benchmark.weight, 0);
      const section = await runBenchmark(id, profile, workFolder, {
        limitSeconds: Math.min(profile.benchmarkTimeoutSeconds, left),
        shareSeconds: Math.min(profile.benchmarkTimeoutSeconds, (left * weight) / weightLeft),
      });
      sections.push(section);
      // A benchmark's copies (100k-image datasets at full size) go as soon as it is done.
      await rm(join(workFolder, id), { recursive: true, force: true });
      const seconds = ((performance.now() - benchmarkStarted) / 1000).toFixed(1);
      const verdicts = section.rows
        .map((row) => (row.civtag ? (row.pass === false ? '✗' : '✓') : '·'))
        .join('');
      console.log(
        section.failure
          ? `✗ ${id} (${seconds} s): not measured: ${section.failure}`
          : `✓ ${id} (${seconds} s) ${verdicts}`,
      );
      if (section.stack && process.env.CIVTAG_BENCH_DEBUG) console.log(section.stack);
    }
  } finally {
    await rm(workFolder, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const markdown = renderReport({
    profile: profile.name,
    machine,
    sections,
    seconds,
    prepareSeconds,
    loadAverageAtEnd: loadavg()
      .map((value) => value.toFixed(2))
      .join(' '),
  });
  if (only || profile.name === 'smoke') {
    console.log(
      `\n${markdown}\n\n(${only ? '--only' : 'smoke profile'}: BENCHMARKS.md left as it was)`,
    );
    return;
  }
  await rewriteBenchmarksFile(join(repositoryRoot, 'BENCHMARKS.md'), profile.name, markdown);
  console.log(
    `\n${markdown}\n\nBENCHMARKS.md rewritten (${profile.name} profile, ${seconds.toFixed(0)} s).`,
  );
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopRunningBenchmark();
    if (workFolder) rmSync(workFolder, { recursive: true, force: true });
    process.exit(130);
  });
}

await main();
