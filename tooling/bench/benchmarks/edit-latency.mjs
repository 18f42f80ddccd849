// One op's latency over the socket, send → ack (validated, journaled with fsync, acknowledged)
// and send → every connected client has the change, with 1 to 500 clients listening; against a
// bare ws hub that only appends + fsyncs and broadcasts.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChildServer } from '../lib/child-server.mjs';
import { startCivtagServer } from '../lib/civtag-server.mjs';
import { listImageIds } from '../lib/image-ids.mjs';
import { repeatRuns, shortRunsNote } from '../lib/repeat-runs.mjs';
import { compareRow, describeFailure } from '../lib/rows.mjs';
import { connectCrowd, measureOps, WARM_UP_OPS } from '../lib/socket-clients.mjs';
import { copyTaggedDataset } from '../lib/tagged-dataset.mjs';

export const id = 'edit-latency';
export const title = 'One op over the socket: latency with N clients listening (ms)';

const hubScript = join(
  dirname(fileURLToPath(import.meta.url)),
  '../baselines/bare-broadcast-hub.mjs',
);
export async function run({ profile, progress, workFolder }) {
  let civtag = null;
  let civtagReason = null;
  let imageIds = [];
  try {
    const { folder } = await copyTaggedDataset(profile.sessionImages, join(workFolder, 'dataset'), {
      progress,
    });
    civtag = await startCivtagServer(folder);
    imageIds = await listImageIds(civtag.url, civtag.headers, 20_000);
    if (imageIds.length === 0) throw new Error('the served dataset lists no image');
  } catch (error) {
    civtagReason = describeFailure(error);
    await civtag?.stop();
    civtag = null;
  }
  const hub = await startChildServer(hubScript, [join(workFolder, 'bare-journal.jsonl')]);
  let opCount = 0;
  const nextOp = () => {
    opCount++;
    const imageId = imageIds.length ? imageIds[opCount % imageIds.length] : `image-${opCount}`;
    return { type: 'add', target: { ids: [imageId] }, tags: [`edit ${opCount}`] };
  };
  const rows = [];
  const notes = [];
  try {
    for (const [level, count] of profile.editClientCounts.entries()) {
      // Each client count gets an equal part of what is left of this benchmark's time share.
      const levelsLeft = profile.editClientCounts.length - level;
      const levelDeadline = Date.now() + (profile.deadline - Date.now()) / levelsLeft;
      const samples = { civtag: [], bare: [] };
      const failures = { civtag: 0, bare: 0 };
      const contenders = [['bare', hub.url, {}]];
      if (civtag) contenders.push(['civtag', civtag.url, civtag.headers]);
      const runs = await repeatRuns(profile.editRuns, levelDeadline, async (runIndex) => {
        for (const [name, url, headers] of runIndex % 2 ? [...contenders].reverse() : contenders) {
          let crowd;
          try {
            crowd = await connectCrowd(`${url.replace('http', 'ws')}/ws`, {
              headers,
              count,
              label: `${name}-${count}-${runIndex}`,
            });
            const result = await measureOps(crowd, profile.editOps, nextOp);
            samples[name].push(result);
            failures[name] += result.failures;
          } catch (error) {
            failures[name]++;
            notes.push(`${name} with ${count} clients: ${describeFailure(error)}`);
          } finally {
            await crowd?.close();
          }
        }
      });
      const shortRuns = shortRunsNote(runs, profile.editRuns, `runs with ${count} clients`);
      if (shortRuns) notes.push(shortRuns);
      const pick = (name, key, quantile) => samples[name].map((result) => result[key][quantile]);
      const hundred = count === 100;
      const clients = count === 1 ? '1 client' : `${count} clients`;
      const baselineName = 'bare ws hub (append + fsync, broadcast)';
      rows.push(
        compareRow({
          what: `${clients}: send → ack, p50`,
          unit: 'ms',
          civtag: pick('civtag', 'ack', 'p50'),
          baseline: { name: baselineName, samples: pick('bare', 'ack', 'p50') },
        }),
        compareRow({
          what: `${clients}: send → ack, p99`,
          unit: 'ms',
          civtag: pick('civtag', 'ack', 'p99'),
          baseline: { name: baselineName, samples: pick('bare', 'ack', 'p99') },
          target: hundred
            ? { text: '< 20 ms at 100 clients', check: (median) => median < 20 }
            : undefined,
        }),
        compareRow({
          what: `${clients}: every client has the change, p99`,
          unit: 'ms',
          civtag: pick('civtag', 'everyone', 'p99'),
          baseline: { name: baselineName, samples: pick('bare', 'everyone', 'p99') },
          target: hundred
            ? { text: '< 50 ms at 100 clients', check: (median) => median < 50 }
            : undefined,
        }),
        compareRow({
          what: `${clients}: failed or lost ops, refused connections`,
          unit: '',
          civtag: civtag ? [failures.civtag] : [],
          baseline: { name: baselineName, samples: [failures.bare] },
          target: { text: 'none', check: (median) => median === 0 },
        }),
      );
      progress(
        `${count === 1 ? '1 client' : `${count} clients`}: ` +
          ['bare', 'civtag']
            .filter((name) => samples[name].length)
            .map(
              (name) =>
                `${name} ack p99 ${pick(name, 'ack', 'p99')
                  .map((value) => value.toFixed(1))
                  .join('/')} ms`,
            )
            .join(', '),
      );
    }
  } finally {
    await hub.stop();
    await civtag?.stop();
  }
  for (const row of rows) if (!row.civtag) row.civtagNote = civtagReason ?? 'no successful run';
  return {
    rows,
    notes: [
      `${profile.editOps} ops per run (after ${WARM_UP_OPS} warm-up ops), one in flight; each op adds a tag to one ` +
        `image of a ${profile.sessionImages.toLocaleString('en-US')}-image dataset. The sender is one more client ` +
        'beside the N listeners; all clients run in the benchmark process, so the "every client" time includes ' +
        'reading N frames there.',
      ...notes,
    ],
  };
}
