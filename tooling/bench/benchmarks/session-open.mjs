// Opening a large tagged dataset: `openDataset` time and the resident memory of a process that
// holds it open, each in a fresh process; against reading + JSON.parse of the same snapshot file.
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repositoryRoot, requireFile } from '../lib/civtag-packages.mjs';
import { runJsonProcess } from '../lib/json-process.mjs';
import { repeatRuns, shortRunsNote } from '../lib/repeat-runs.mjs';
import { compareRow, describeFailure } from '../lib/rows.mjs';
import { copyTaggedDataset } from '../lib/tagged-dataset.mjs';

export const id = 'session-open';
export const title = 'Opening a tagged dataset (~25 tags per image)';

const probes = join(dirname(fileURLToPath(import.meta.url)), '../probes');
const GC = ['--expose-gc'];

/** The snapshot file of a dataset: `.civtag/session.json`, or else the largest file in `.civtag`. */
async function findSnapshot(datasetFolder) {
  const folder = join(datasetFolder, '.civtag');
  let largest = null;
  for (const name of await readdir(folder)) {
    const info = await stat(join(folder, name));
    if (!info.isFile()) continue;
    if (name === 'session.json') return join(folder, name);
    if (!largest || info.size > largest.size)
      largest = { path: join(folder, name), size: info.size };
  }
  if (!largest) throw new Error(`no snapshot file in ${folder}`);
  return largest.path;
}

/**
 * The session layer alone, by its package's own script (one run): open, and one entry's apply
 * latency beside a bare append + fdatasync of the same line, measured by that script in its run.
 */
async function sessionPackageRows(count) {
  const script = await requireFile(
    'packages/session/bench/session-bench.mjs',
    'the session package benchmark',
  );
  const output = await runJsonProcess(script, ['--images', String(count)], {
    nodeArguments: GC,
    cwd: repositoryRoot,
  });
  const result = output.results?.find((entry) => entry.images === count) ?? output.results?.[0];
  if (!result) throw new Error(`unexpected output: ${JSON.stringify(output).slice(0, 200)}`);
  const size = count.toLocaleString('en-US');
  const one = (key) => [result[key]].filter(Number.isFinite);
  const floor = (key) => ({ name: 'append + fdatasync of the same line', samples: one(key) });
  return {
    rows: [
      compareRow({
        what: `Session layer alone: open ${size} images, ms`,
        unit: 'ms',
        civtag: one('openMs'),
      }),
      compareRow({
        what: 'Session layer alone: apply one entry, p50',
        unit: 'ms',
        civtag: one('applyP50Ms'),
        baseline: floor('baselineAppendFdatasyncP50Ms'),
      }),
      compareRow({
        what: 'Session layer alone: apply one entry, p99',
        unit: 'ms',
        civtag: one('applyP99Ms'),
        baseline: floor('baselineAppendFdatasyncP99Ms'),
      }),
    ],
    note: `packages/session/bench/session-bench.mjs --images ${count}: \`${JSON.stringify(result)}\``,
  };
}

export async function run({ profile, progress, workFolder }) {
  const count = profile.sessionImages;
  const samples = { civtag: [], floor: [] };
  const notes = [];
  let reason = null;
  try {
    const { folder } = await copyTaggedDataset(count, join(workFolder, 'dataset'), { progress });
    const snapshot = await findSnapshot(folder);
    const { size } = await stat(snapshot);
    notes.push(`Snapshot ${snapshot.slice(folder.length + 1)}: ${(size / 1e6).toFixed(1)} MB.`);
    const runs = await repeatRuns(profile.sessionRuns, profile.deadline, async (runIndex) => {
      const opened = await runJsonProcess(join(probes, 'open-dataset.mjs'), [folder], {
        nodeArguments: GC,
      });
      if (opened.images !== count)
        notes.push(`openDataset saw ${opened.images} images, not ${count}`);
      samples.civtag.push(opened);
      samples.floor.push(
        await runJsonProcess(join(probes, 'parse-snapshot.mjs'), [snapshot], { nodeArguments: GC }),
      );
      progress(
        `run ${runIndex + 1}/${profile.sessionRuns}: open ${opened.openMs.toFixed(0)} ms, ${opened.rssMB.toFixed(0)} MB resident; parse ${samples.floor.at(-1).openMs.toFixed(0)} ms`,
      );
    });
    const shortRuns = shortRunsNote(runs, profile.sessionRuns);
    if (shortRuns) notes.push(shortRuns);
  } catch (error) {
    reason = describeFailure(error);
  }
  let sessionRows = [];
  try {
    const figures = await sessionPackageRows(count);
    sessionRows = figures.rows;
    notes.push(figures.note);
  } catch (error) {
    notes.push(`The session package's own benchmark: not measured: ${describeFailure(error)}`);
  }
  const size = count.toLocaleString('en-US');
  const stated = count === 100_000 ? '' : ' (stated for 100k)';
  const floor = 'readFile + JSON.parse of the snapshot';
  const rows = [
    compareRow({
      what: `openDataset, ${size} images, ms`,
      unit: 'ms',
      civtag: samples.civtag.map((sample) => sample.openMs),
      baseline: { name: floor, samples: samples.floor.map((sample) => sample.openMs) },
      target: { text: `< 2,000 ms${stated}`, check: (median) => median < 2000 },
    }),
    compareRow({
      what: `Resident memory with ${size} images open, MB`,
      unit: 'MB',
      civtag: samples.civtag.map((sample) => sample.rssMB),
      baseline: { name: floor, samples: samples.floor.map((sample) => sample.rssMB) },
      target: { text: `< 500 MB${stated}`, check: (median) => median < 500 },
    }),
    compareRow({
      what: `JS heap with ${size} images open, MB`,
      unit: 'MB',
      civtag: samples.civtag.map((sample) => sample.heapMB),
      baseline: { name: floor, samples: samples.floor.map((sample) => sample.heapMB) },
    }),
  ];
  for (const row of rows) if (!row.civtag) row.civtagNote = reason ?? 'no successful run';
  return {
    rows: [...rows, ...sessionRows],
    notes: [
      'Each figure comes from a fresh Node process (after a forced GC); an empty Node process holds about ' +
        `${samples.floor[0]?.baseRssMB?.toFixed(0) ?? '40'} MB resident.`,
      ...notes,
    ],
  };
}
