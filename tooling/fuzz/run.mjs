#!/usr/bin/env node
// Long fuzz runs: `pnpm fuzz --runs N [--seed S] [--only NAME]`. Runs the same fuzz test files
// CI runs with a bounded count, with N cases per property (CIVTAG_FUZZ_RUNS; a slow target runs
// its `scale` of N, see FUZZ_FILES) from seed S
// (CIVTAG_FUZZ_SEED, random when not given, and printed), and prints one JSON line at the end:
// the seed, each target's cases, time and cases per second, every failure with the seed and
// fast-check's path to replay it, and the elapsed time. Exit 0 only when every target passed.
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The fuzz test files, by vitest project. `--only` matches a file or a target name in part.
 * `scale` is the share of `--runs` a file's properties run: the parsers take ~10,000 cases a
 * second, a live server ~100–1,000, an import of broken images ~25; so `--runs 1000000` is a
 * million cases a parser and 100,000 a server property, under an hour on a laptop.
 */
export const FUZZ_FILES = [
  { project: 'tags', file: 'packages/tags/src/parse-caption.fuzz.test.ts', scale: 1 },
  { project: 'tags', file: 'packages/tags/src/parse-query.fuzz.test.ts', scale: 1 },
  { project: 'tags', file: 'packages/tags/src/vocabulary-csv.fuzz.test.ts', scale: 1 },
  { project: 'core-fs', file: 'packages/core-fs/src/caption-text.fuzz.test.ts', scale: 1 },
  { project: 'core-fs', file: 'packages/core-fs/src/sidecar.fuzz.test.ts', scale: 0.1 },
  { project: 'autotag', file: 'packages/autotag/src/selected-tags-csv.fuzz.test.ts', scale: 1 },
  { project: 'core', file: 'packages/core/test/fuzz-import.test.ts', scale: 0.01 },
  { project: 'server', file: 'apps/server/test/fuzz-http.test.ts', scale: 0.1 },
  { project: 'server', file: 'apps/server/test/fuzz-socket.test.ts', scale: 0.1 },
];

/** Fuzz test files in the repository (`*.fuzz.test.ts`, `fuzz-*.test.ts`) that are not listed. */
function unlistedFuzzFiles() {
  const found = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(path.join(repositoryRoot, group))) {
      for (const folder of ['src', 'test']) {
        const relative = `${group}/${name}/${folder}`;
        let entries = [];
        try {
          entries = readdirSync(path.join(repositoryRoot, relative));
        } catch {
          continue;
        }
        for (const entry of entries) {
          if (/(\.fuzz\.test\.ts|^fuzz-.*\.test\.ts)$/.test(entry))
            found.push(`${relative}/${entry}`);
        }
      }
    }
  }
  return found.filter((file) => !FUZZ_FILES.some((listed) => listed.file === file));
}

const USAGE = 'usage: pnpm fuzz --runs N [--seed S] [--only NAME]';

function parseArguments(argv) {
  const options = { runs: undefined, seed: undefined, only: undefined };
  for (let index = 0; index < argv.length; index += 1) {
    const name = argv[index];
    const value = argv[index + 1];
    if (name === '--') continue;
    if (!['--runs', '--seed', '--only'].includes(name) || value === undefined) {
      throw new Error(`Unknown or incomplete argument "${name}". ${USAGE}`);
    }
    options[name.slice(2)] = value;
    index += 1;
  }
  if (options.runs === undefined || !/^[1-9]\d*$/.test(options.runs)) {
    throw new Error(`--runs must be a whole number of cases per property. ${USAGE}`);
  }
  if (options.seed !== undefined && !/^-?\d+$/.test(options.seed)) {
    throw new Error(`--seed must be a whole number. ${USAGE}`);
  }
  return options;
}

/** Runs one fuzz file; resolves with its exit code and the result lines its targets printed. */
function runFile({ project, file }, environment) {
  return new Promise((resolve) => {
    const vitest = path.join(repositoryRoot, 'node_modules', '.bin', 'vitest');
    const child = spawn(vitest, ['run', '--project', project, file, '--reporter=dot'], {
      cwd: repositoryRoot,
      env: { ...process.env, ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const results = [];
    let pending = '';
    let tail = '';
    const read = (chunk) => {
      const text = pending + String(chunk);
      const lines = text.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const at = line.indexOf('civtag-fuzz-result ');
        if (at >= 0) results.push(JSON.parse(line.slice(at + 'civtag-fuzz-result '.length)));
      }
      tail = (tail + String(chunk)).slice(-4000);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (chunk) => {
      tail = (tail + String(chunk)).slice(-4000);
    });
    child.on('close', (code) => resolve({ code, results, tail }));
  });
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const unlisted = unlistedFuzzFiles();
  if (unlisted.length > 0) {
    throw new Error(
      `Add these fuzz test files to FUZZ_FILES in tooling/fuzz/run.mjs: ${unlisted.join(', ')}`,
    );
  }
  const seed = options.seed ?? String(randomInt(0, 2 ** 31));
  const files = FUZZ_FILES.filter(
    ({ file }) => options.only === undefined || file.includes(options.only),
  );
  // A name that matches no file may match a target inside one: run them all and keep those.
  const selected = files.length > 0 ? files : FUZZ_FILES;
  process.stderr.write(
    `civtag fuzz: --runs ${options.runs} (times each file's scale), seed ${seed}\n`,
  );
  const started = performance.now();
  const targets = [];
  const failures = [];
  for (const entry of selected) {
    const outcome = await runFile(entry, {
      CIVTAG_FUZZ_RUNS: String(Math.max(1, Math.round(Number(options.runs) * entry.scale))),
      CIVTAG_FUZZ_SEED: seed,
      CIVTAG_FUZZ_REPORT: '1',
    });
    const results = outcome.results.filter(
      (result) => files.length > 0 || result.target.includes(options.only),
    );
    for (const result of results) {
      const casesPerSecond = result.ms > 0 ? Math.round((result.cases * 1000) / result.ms) : null;
      targets.push({
        target: result.target,
        file: entry.file,
        cases: result.cases,
        ms: result.ms,
        casesPerSecond,
      });
      if (result.failure !== undefined) {
        failures.push({ target: result.target, seed: result.seed, failure: result.failure });
      }
      process.stderr.write(
        `${result.failure === undefined ? 'passed' : 'FAILED'} ${result.target}: ${result.cases} cases in ${result.ms} ms\n`,
      );
    }
    // A file that failed outside a property (setup, a crash) is a failure too.
    if (outcome.code !== 0 && !results.some((result) => result.failure !== undefined)) {
      failures.push({ file: entry.file, seed: Number(seed), failure: outcome.tail });
    }
  }
  const summary = {
    seed: Number(seed),
    runs: Number(options.runs),
    totalCases: targets.reduce((total, target) => total + target.cases, 0),
    elapsedMs: Math.round(performance.now() - started),
    passed: failures.length === 0 && targets.length > 0,
    targets,
    failures,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exitCode = summary.passed ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
