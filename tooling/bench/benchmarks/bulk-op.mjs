// A bulk op over HTTP (`POST /api/ops`, add a tag to every image) on a large tagged dataset, timed
// until the answer (which civtag sends once the captions are written), with a probe showing that
// the server still answers meanwhile; against writing the same number of caption files.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCaptionFiles } from '../baselines/caption-writes.mjs';
import { startCivtagServer } from '../lib/civtag-server.mjs';
import { startHealthProbe } from '../lib/health-probe.mjs';
import { repeatRuns, shortRunsNote } from '../lib/repeat-runs.mjs';
import { compareRow, describeFailure } from '../lib/rows.mjs';
import { tagsFor } from '../lib/tag-vocabulary.mjs';
import { copyTaggedDataset } from '../lib/tagged-dataset.mjs';

export const id = 'bulk-op';
export const title = 'A bulk op touching every image, captions written';

async function firstCaption(server, datasetFolder) {
  const page = await (
    await fetch(`${server.url}/api/images?limit=1`, { headers: server.headers })
  ).json();
  const file = page.images[0].file;
  return join(datasetFolder, `${file.slice(0, file.lastIndexOf('.'))}.txt`);
}

async function bulkOp(server, tag) {
  const started = performance.now();
  const response = await fetch(`${server.url}/api/ops`, {
    method: 'POST',
    headers: { ...server.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ op: { type: 'add', target: { all: true }, tags: [tag] } }),
    signal: AbortSignal.timeout(300_000),
  });
  const body = await response.text();
  const seconds = (performance.now() - started) / 1000;
  if (!response.ok)
    throw new Error(`POST /api/ops answered ${response.status}: ${body.slice(0, 200)}`);
  return { seconds, changed: JSON.parse(body).changes?.length ?? 0 };
}

export async function run({ profile, progress, workFolder }) {
  const count = profile.bulkImages;
  const captions = Array.from(
    { length: count },
    (_, index) => `${tagsFor(index).join(', ')}, bulk edit 0`,
  );
  const samples = { civtag: [], floor: [], probeMax: [] };
  const notes = [];
  let server = null;
  let civtagReason = null;
  let captionPath = null;
  let datasetFolder = null;
  try {
    ({ folder: datasetFolder } = await copyTaggedDataset(count, join(workFolder, 'dataset'), {
      progress,
    }));
    server = await startCivtagServer(datasetFolder);
    captionPath = await firstCaption(server, datasetFolder);
  } catch (error) {
    civtagReason = describeFailure(error);
    await server?.stop();
    server = null;
  }
  try {
    const runs = await repeatRuns(profile.bulkRuns, profile.deadline, async (runIndex) => {
      samples.floor.push(await writeCaptionFiles(join(workFolder, `floor-${runIndex}`), captions));
      if (!server) return;
      const tag = `bulk edit ${runIndex}`;
      const probe = startHealthProbe(server.url, server.headers);
      try {
        const { seconds, changed } = await bulkOp(server, tag);
        const health = await probe.stop();
        samples.civtag.push(seconds);
        samples.probeMax.push(health.maxMs);
        if (changed !== count)
          notes.push(`run ${runIndex + 1}: the op changed ${changed} of ${count} images`);
        if (health.failed)
          notes.push(`run ${runIndex + 1}: ${health.failed} health requests failed during the op`);
        const caption = await readFile(captionPath, 'utf8');
        if (!caption.includes(tag))
          notes.push(`run ${runIndex + 1}: a caption lacked "${tag}" when the answer came`);
        progress(
          `run ${runIndex + 1}/${profile.bulkRuns}: civtag ${seconds.toFixed(2)} s, floor ${samples.floor.at(-1).toFixed(2)} s, health max ${health.maxMs.toFixed(0)} ms (${health.answered} answers)`,
        );
      } catch (error) {
        await probe.stop();
        notes.push(`run ${runIndex + 1}: ${describeFailure(error)}`);
      }
    });
    const shortRuns = shortRunsNote(runs, profile.bulkRuns);
    if (shortRuns) notes.push(shortRuns);
  } finally {
    await server?.stop();
  }
  const size = count.toLocaleString('en-US');
  const limit = count >= 100_000 ? 20 : 2;
  const rows = [
    compareRow({
      what: `Add a tag to all ${size} images, until the answer (captions written), s`,
      unit: 's',
      civtag: samples.civtag,
      baseline: {
        name: `write ${size} caption files (temp + rename, 16 at a time)`,
        samples: samples.floor,
      },
      target: { text: `< ${limit} s at ${size}`, check: (median) => median < limit },
    }),
    compareRow({
      what: 'GET /api/health during the bulk op, slowest answer',
      unit: 'ms',
      civtag: samples.probeMax,
      target: { text: 'answers meanwhile (< 1 s)', check: (median) => median < 1000 },
    }),
  ];
  for (const row of rows)
    if (!row.civtag) row.civtagNote = civtagReason ?? notes[0] ?? 'no successful run';
  return {
    rows,
    notes: [
      `Each run adds a new tag to all ${size} images of a dataset with ~25 tags per image; the captions are ` +
        'rewritten, and a health request goes out every 20 ms while the op runs.',
      ...notes,
    ],
  };
}
