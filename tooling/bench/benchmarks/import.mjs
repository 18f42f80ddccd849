// Import throughput: civtag's whole pipeline (createDataset + import: scan, hash, copy, caption,
// thumbnail, journal) against the floor (cp -r + vipsthumbnail), sharp's own thumbnail rate with
// 4 in flight, and a naive one-at-a-time import.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { floorImport } from '../baselines/floor-import.mjs';
import { naiveImport } from '../baselines/naive-import.mjs';
import { sharpThumbnails } from '../baselines/sharp-thumbnails.mjs';
import { loadCore } from '../lib/civtag-packages.mjs';
import { prepareImageSet } from '../lib/image-set.mjs';
import { repeatRuns, shortRunsNote } from '../lib/repeat-runs.mjs';
import { compareRow, describeFailure } from '../lib/rows.mjs';

export const id = 'import';
export const title = 'Import of realistic images (1–2 MP JPEG and PNG, noisy), images/s';

async function civtagImport(core, sourceFolder, destination) {
  const started = performance.now();
  const dataset = await core.createDataset(destination, { prefix: 'bench' });
  let progress;
  try {
    progress = await dataset.import(sourceFolder).done;
  } finally {
    await dataset.close();
  }
  return { seconds: (performance.now() - started) / 1000, progress };
}

export async function run({ profile, progress, workFolder }) {
  const set = await prepareImageSet(profile.importImages, { progress });
  const count = set.names.length;
  let core = null;
  let civtagReason = null;
  try {
    core = await loadCore(['createDataset']);
  } catch (error) {
    civtagReason = describeFailure(error);
  }
  const contenders = {
    floor: (destination) => floorImport(set.folder, set.names, destination),
    naive: (destination) => naiveImport(set.folder, set.names, destination),
    sharp: (destination) => sharpThumbnails(set.folder, set.names, destination),
    civtag: async (destination) => {
      const { seconds, progress: result } = await civtagImport(core, set.folder, destination);
      if (result.done !== count || result.failed > 0) {
        throw new Error(
          `imported ${result.done} of ${count} with ${result.failed} failures` +
            (result.failures[0]
              ? ` (first: ${result.failures[0].code} ${result.failures[0].message})`
              : ''),
        );
      }
      return seconds;
    },
  };
  const baselines = ['floor', 'sharp', 'naive'];
  const order = core ? [...baselines, 'civtag'] : baselines;
  const samples = { floor: [], sharp: [], naive: [], civtag: [] };
  const failures = [];
  const runs = await repeatRuns(profile.importRuns, profile.deadline, async (runIndex) => {
    // Rotate the order so that no contender always runs right after the same neighbour.
    const rotated = [
      ...order.slice(runIndex % order.length),
      ...order.slice(0, runIndex % order.length),
    ];
    for (const name of rotated) {
      const destination = join(workFolder, `${name}-${runIndex}`);
      await mkdir(workFolder, { recursive: true });
      try {
        const seconds = await contenders[name](destination);
        samples[name].push(count / seconds);
      } catch (error) {
        failures.push(`${name}: ${describeFailure(error)}`);
      } finally {
        await rm(destination, { recursive: true, force: true });
      }
    }
    progress(
      `run ${runIndex + 1}/${profile.importRuns}: ` +
        order.map((name) => `${name} ${samples[name].at(-1)?.toFixed(1) ?? '—'}/s`).join(', '),
    );
  });
  const shortRuns = shortRunsNote(runs, profile.importRuns);
  const what = `Import ${count} images (${(set.bytes / 1e6).toFixed(0)} MB), images/s`;
  const reason = civtagReason ?? failures.find((line) => line.startsWith('civtag')) ?? 'no run';
  const rows = [
    compareRow({
      what,
      unit: 'images/s',
      civtag: samples.civtag,
      baseline: { name: 'floor: cp -r + vipsthumbnail ×2', samples: samples.floor },
      target: { text: '≥ 1.0× floor', check: (_median, ratio) => ratio >= 1.0 },
    }),
    compareRow({
      what,
      unit: 'images/s',
      civtag: samples.civtag,
      baseline: { name: 'sharp thumbnails alone, 4 in flight', samples: samples.sharp },
      target: { text: '≥ 0.7× sharp, 4 in flight', check: (_median, ratio) => ratio >= 0.7 },
    }),
    compareRow({
      what,
      unit: 'images/s',
      civtag: samples.civtag,
      baseline: { name: 'naive one at a time (sharp)', samples: samples.naive },
      target: { text: '> naive', check: (_median, ratio) => ratio > 1 },
    }),
  ];
  for (const row of rows) if (!row.civtag) row.civtagNote = reason;
  return {
    rows,
    notes: [
      ...(shortRuns ? [shortRuns] : []),
      'Sources are warm in the page cache; every contender writes to a fresh folder on the same disk, and ' +
        'makes a 256 px WebP thumbnail of each image. The floor does not hash, caption or journal; ' +
        'sharp alone only makes the thumbnails (4 in flight, from the source paths), copying nothing.',
      ...failures.map((line) => `A run failed: ${line}`),
    ],
  };
}
