// Content hashing, as core-fs does it (whole-file sha256) against reading whole files and against
// streaming them in 64 KiB chunks. Informs the import: hashing must not be its bottleneck.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCoreFs } from '../lib/civtag-packages.mjs';
import { prepareImageSet } from '../lib/image-set.mjs';
import { repeatRuns, shortRunsNote } from '../lib/repeat-runs.mjs';
import { compareRow, describeFailure, notMeasuredRow } from '../lib/rows.mjs';

export const id = 'hash-file';
export const title = 'Content hash (sha256) of the import images, one file at a time';

async function hashWhole(path) {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

async function hashStreaming(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 }))
    hash.update(chunk);
  return hash.digest('hex');
}

async function throughput(paths, bytes, hashOne) {
  const started = performance.now();
  for (const path of paths) await hashOne(path);
  return bytes / 1e6 / ((performance.now() - started) / 1000);
}

export async function run({ profile, progress }) {
  const set = await prepareImageSet(profile.importImages, { progress });
  const paths = set.names.map((name) => join(set.folder, name));
  let hashFile = null;
  let reason = null;
  try {
    ({ hashFile } = await loadCoreFs(['hashFile']));
    if ((await hashFile(paths[0])) !== (await hashWhole(paths[0]))) {
      reason = 'core-fs hashFile does not return the hex sha256 of the file';
      hashFile = null;
    }
  } catch (error) {
    reason = describeFailure(error);
  }
  const samples = { civtag: [], whole: [], streaming: [] };
  const contenders = [
    ['whole', hashWhole],
    ['streaming', hashStreaming],
  ];
  if (hashFile) contenders.push(['civtag', hashFile]);
  const runs = await repeatRuns(profile.hashRuns, profile.deadline, async (runIndex) => {
    // Rotate the order, so that no contender always runs first on a warming machine.
    const shift = runIndex % contenders.length;
    for (const [name, hashOne] of [...contenders.slice(shift), ...contenders.slice(0, shift)]) {
      samples[name].push(await throughput(paths, set.bytes, hashOne));
    }
    progress(`run ${runIndex + 1}/${profile.hashRuns}`);
  });
  const shortRuns = shortRunsNote(runs, profile.hashRuns);
  const what = `hashFile of ${paths.length} files (${(set.bytes / 1e6).toFixed(0)} MB), MB/s`;
  const baselines = [
    { name: 'readFile + sha256', samples: samples.whole },
    { name: 'stream, 64 KiB chunks', samples: samples.streaming },
  ];
  return {
    rows: baselines.map((baseline) =>
      hashFile
        ? compareRow({ what, unit: 'MB/s', civtag: samples.civtag, baseline })
        : notMeasuredRow({ what, unit: 'MB/s', reason, baseline }),
    ),
    notes: [
      ...(shortRuns ? [shortRuns] : []),
      'No target: hashing informs the import, which it must not slow down (sha256 with SHA instructions).',
      'Files are warm in the page cache (they were just generated or read), as in an import right after a copy.',
    ],
  };
}
