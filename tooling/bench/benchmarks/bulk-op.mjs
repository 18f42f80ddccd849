// A bulk op over HTTP (`POST /api/ops`, add a tag to every image) on a large tagged dataset: the
// time until the answer (civtag answers once the op is journaled: durable), and the time until
// every caption file is written (in the background, `captionsPending` in `GET /api/health`
// counting down to 0), the latter against the bare temp + rename floor for as many files. Two
// other clients ask for `/api/health` and the first page of images meanwhile.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCaptionFiles } from '../baselines/caption-writes.mjs';
import { startCivtagServer } from '../lib/civtag-server.mjs';
import { flushToDisk } from '../lib/flush-to-disk.mjs';
import { startRequestProbe } from '../lib/health-probe.mjs';
import { repeatRuns, shortRunsNote } from '../lib/repeat-runs.mjs';
import { compareRow, describeFailure } from '../lib/rows.mjs';
import { tagsFor } from '../lib/tag-vocabulary.mjs';
import { copyTaggedDataset } from '../lib/tagged-dataset.mjs';

export const id = 'bulk-op';
export const title = 'A bulk op touching every image: acknowledged, then every caption written';

const PENDING_POLL_MS = 10;
const CAPTIONS_TIMEOUT_MS = 15 * 60_000;
/** Caption files read back after each run to check that they hold the new tag. */
const CAPTIONS_CHECKED = 50;

async function postBulkAdd(server, tag) {
  const response = await fetch(`${server.url}/api/ops`, {
    method: 'POST',
    headers: { ...server.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ op: { type: 'add', target: { all: true }, tags: [tag] } }),
    signal: AbortSignal.timeout(CAPTIONS_TIMEOUT_MS),
  });
  const body = await response.text();
  if (!response.ok)
    throw new Error(`POST /api/ops answered ${response.status}: ${body.slice(0, 200)}`);
  const answer = JSON.parse(body);
  return { changed: answer.count ?? answer.changes?.length ?? 0, answerBytes: body.length };
}

/**
 * Asks `GET /api/health` until it says no caption waits to be written, counting only answers to
 * requests sent after the op's answer. Resolves the moment (performance.now()) of that answer,
 * or `null` when the server does not report `captionsPending` (it writes before it answers).
 */
async function captionsWrittenAt(server) {
  const deadline = performance.now() + CAPTIONS_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const response = await fetch(`${server.url}/api/health`, { headers: server.headers });
    const health = await response.json();
    if (typeof health.captionsPending !== 'number') return null;
    if (health.captionsPending === 0) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, PENDING_POLL_MS));
  }
  throw new Error(`captionsPending did not reach 0 within ${CAPTIONS_TIMEOUT_MS / 60_000} min`);
}

/** Caption files spread over the dataset, to read back after each op. */
async function sampleCaptionFiles(datasetFolder) {
  const captions = (await readdir(datasetFolder)).filter((name) => name.endsWith('.txt')).sort();
  const step = Math.max(1, Math.floor(captions.length / CAPTIONS_CHECKED));
  return captions.filter((_, index) => index % step === 0).map((name) => join(datasetFolder, name));
}

async function captionsLacking(files, tag) {
  let lacking = 0;
  for (const file of files) if (!(await readFile(file, 'utf8')).includes(tag)) lacking++;
  return lacking;
}

export async function run({ profile, progress, workFolder }) {
  const count = profile.bulkImages;
  const size = count.toLocaleString('en-US');
  const distinct = new Set();
  const captions = Array.from({ length: count }, (_, index) => {
    const tags = tagsFor(index);
    for (const tag of tags) distinct.add(tag);
    return tags.join(', ');
  });
  const captionsOf = (tag) => captions.map((caption) => `${caption}, ${tag}`);
  const samples = { ack: [], written: [], floor: [], health: [], images: [], healthMax: [] };
  const notes = [];
  const contracts = new Set();
  let server = null;
  let civtagReason = null;
  let checkedCaptions = [];
  const floorFolder = join(workFolder, 'floor');
  try {
    const { folder } = await copyTaggedDataset(count, join(workFolder, 'dataset'), { progress });
    await flushToDisk();
    checkedCaptions = await sampleCaptionFiles(folder);
    server = await startCivtagServer(folder);
  } catch (error) {
    civtagReason = describeFailure(error);
    await server?.stop();
    server = null;
  }
  // The floor rewrites existing files, as the op does: its folder is filled once, unmeasured,
  // and flushed, so that its first run rewrites files on the disk as later runs and the op do.
  await writeCaptionFiles(floorFolder, captionsOf('bulk edit'));
  await flushToDisk();
  try {
    const runs = await repeatRuns(profile.bulkRuns, profile.deadline, async (runIndex) => {
      const tag = `bulk edit ${runIndex}`;
      samples.floor.push(await writeCaptionFiles(floorFolder, captionsOf(tag)));
      if (!server) return;
      const probes = [
        startRequestProbe(server.url, server.headers, { path: '/api/health' }),
        startRequestProbe(server.url, server.headers, { path: '/api/images?limit=100' }),
      ];
      try {
        const started = performance.now();
        const { changed, answerBytes } = await postBulkAdd(server, tag);
        const answered = performance.now();
        const written = (await captionsWrittenAt(server)) ?? answered;
        const [health, images] = await Promise.all(probes.map((probe) => probe.stop()));
        contracts.add(written === answered ? 'answer' : 'background');
        samples.ack.push(answered - started);
        samples.written.push((written - started) / 1000);
        samples.health.push(health.p99);
        samples.healthMax.push(health.maxMs);
        samples.images.push(images.p99);
        if (changed !== count)
          notes.push(`run ${runIndex + 1}: the op changed ${changed} of ${count} images`);
        if (health.failed + images.failed > 0)
          notes.push(
            `run ${runIndex + 1}: ${health.failed + images.failed} probe requests failed during the op`,
          );
        const lacking = await captionsLacking(checkedCaptions, tag);
        if (lacking > 0)
          notes.push(
            `run ${runIndex + 1}: ${lacking} of ${checkedCaptions.length} caption files read back lacked "${tag}" once civtag said all were written`,
          );
        progress(
          `run ${runIndex + 1}/${profile.bulkRuns}: answered ${(answered - started).toFixed(0)} ms ` +
            `(${(answerBytes / 1024).toFixed(1)} KiB), captions written ${samples.written.at(-1).toFixed(2)} s, ` +
            `floor ${samples.floor.at(-1).toFixed(2)} s; health p99 ${health.p99.toFixed(0)} ms ` +
            `(${health.answered} answers), images p99 ${images.p99.toFixed(0)} ms (${images.answered})`,
        );
      } catch (error) {
        await Promise.all(probes.map((probe) => probe.stop()));
        notes.push(`run ${runIndex + 1}: ${describeFailure(error)}`);
      }
    });
    const shortRuns = shortRunsNote(runs, profile.bulkRuns);
    if (shortRuns) notes.push(shortRuns);
  } finally {
    await server?.stop();
  }
  const full = count >= 100_000;
  const ackLimit = full ? 1000 : 200;
  const floorName = `write ${size} caption files over existing ones (temp + rename, 16 at a time)`;
  const rows = [
    compareRow({
      what: `Add a tag to all ${size} images: acknowledged (durable), ms`,
      unit: 'ms',
      civtag: samples.ack,
      target: {
        text: full ? '< 1 s at 100k' : '< 200 ms at 10k',
        check: (median) => median < ackLimit,
      },
    }),
    compareRow({
      what: `Add a tag to all ${size} images: every caption file written, s`,
      unit: 's',
      civtag: samples.written,
      baseline: { name: floorName, samples: samples.floor },
      target: { text: '≤ 1.3× floor', check: (_, ratio) => ratio !== null && ratio <= 1.3 },
    }),
    compareRow({
      what: 'GET /api/health while the op runs, p99',
      unit: 'ms',
      civtag: samples.health,
      target: { text: '< 100 ms', check: (median) => median < 100 },
    }),
    compareRow({
      what: 'GET /api/images?limit=100 while the op runs, p99',
      unit: 'ms',
      civtag: samples.images,
      target: { text: '< 100 ms', check: (median) => median < 100 },
    }),
  ];
  for (const row of rows)
    if (!row.civtag) row.civtagNote = civtagReason ?? notes[0] ?? 'no successful run';
  const contractNote = contracts.has('background')
    ? 'civtag answered once the op was journaled and wrote the captions in the background; "written" is the first `GET /api/health` after the answer that said `captionsPending: 0`.'
    : 'This civtag reports no `captionsPending` in `GET /api/health`: it answers once the captions are written, so "acknowledged" and "written" are the same moment.';
  return {
    rows,
    notes: [
      `Each run adds a new tag to all ${size} images of a dataset with 25 tags per image (${distinct.size.toLocaleString('en-US')} distinct tags); ` +
        'both times run from sending the request. Two other clients ask for `GET /api/health` and ' +
        '`GET /api/images?limit=100` in a loop (20 ms apart) from the request until every caption is written.',
      ...(server || samples.ack.length ? [contractNote] : []),
      `Slowest /api/health answer per run: ${samples.healthMax.map((value) => `${value.toFixed(0)} ms`).join(', ') || '—'}.`,
      ...notes,
    ],
  };
}
