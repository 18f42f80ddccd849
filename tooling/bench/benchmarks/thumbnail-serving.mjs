// Serving a cached thumbnail over loopback HTTP: requests/s and p99 latency from autocannon
// (10 connections) against the civtag server and against a bare node:http handler with the
// same bytes in memory.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { startChildServer } from '../lib/child-server.mjs';
import { loadCore } from '../lib/civtag-packages.mjs';
import { startCivtagServer } from '../lib/civtag-server.mjs';
import { prepareImageSet } from '../lib/image-set.mjs';
import { repeatRuns, shortRunsNote } from '../lib/repeat-runs.mjs';
import { compareRow, describeFailure } from '../lib/rows.mjs';

export const id = 'thumbnail-serving';
export const title = 'Serving a cached thumbnail over loopback HTTP (autocannon, 10 connections)';

const baselineScript = join(
  dirname(fileURLToPath(import.meta.url)),
  '../baselines/bare-thumbnail-server.mjs',
);

async function hammer(url, headers, seconds) {
  const result = await autocannon({ url, connections: 10, duration: seconds, headers });
  const failed = result.errors + result.timeouts + result.non2xx;
  return { requestsPerSecond: result.requests.average, p99: result.latency.p99, failed };
}

async function startCivtag(workFolder, progress) {
  const core = await loadCore(['createDataset']);
  const set = await prepareImageSet(8, { progress });
  const folder = join(workFolder, 'dataset');
  const dataset = await core.createDataset(folder, { prefix: 'bench' });
  try {
    await dataset.import(set.folder).done;
  } finally {
    await dataset.close();
  }
  const server = await startCivtagServer(folder);
  const page = await (
    await fetch(`${server.url}/api/images?limit=1`, { headers: server.headers })
  ).json();
  const imageId = page.images?.[0]?.id;
  if (!imageId) {
    await server.stop();
    throw new Error(`GET /api/images listed no image: ${JSON.stringify(page).slice(0, 200)}`);
  }
  const thumbUrl = `${server.url}/api/images/${imageId}/thumb`;
  const response = await fetch(thumbUrl, { headers: server.headers });
  if (!response.ok) {
    await server.stop();
    throw new Error(`GET ${thumbUrl} answered ${response.status}`);
  }
  return { server, thumbUrl, bytes: new Uint8Array(await response.arrayBuffer()) };
}

export async function run({ profile, progress, workFolder }) {
  await mkdir(workFolder, { recursive: true });
  let civtag = null;
  let civtagReason = null;
  try {
    civtag = await startCivtag(workFolder, progress);
  } catch (error) {
    civtagReason = describeFailure(error);
  }
  let bytes = civtag?.bytes;
  if (!bytes) {
    const [first] = (await prepareImageSet(8)).names;
    bytes = await sharp(join((await prepareImageSet(8)).folder, first))
      .resize(256, 256, { fit: 'inside' })
      .webp()
      .toBuffer();
  }
  const bytesFile = join(workFolder, 'thumbnail.webp');
  await writeFile(bytesFile, bytes);
  const bare = await startChildServer(baselineScript, [bytesFile]);
  const bareUrl = `${bare.url}/api/images/bench/thumb`;
  const samples = { civtag: { rate: [], p99: [] }, bare: { rate: [], p99: [] } };
  let failedRequests = 0;
  let shortRuns = null;
  try {
    // A short warm-up of each, so that neither pays for JIT and connection set-up in a sample.
    await hammer(bareUrl, {}, 1);
    if (civtag) await hammer(civtag.thumbUrl, civtag.server.headers, 1);
    const runs = await repeatRuns(profile.servingRuns, profile.deadline, async (runIndex) => {
      const contenders = [['bare', bareUrl, {}]];
      if (civtag) contenders.push(['civtag', civtag.thumbUrl, civtag.server.headers]);
      if (runIndex % 2 === 1) contenders.reverse();
      for (const [name, url, headers] of contenders) {
        const result = await hammer(url, headers, profile.servingSeconds);
        samples[name].rate.push(result.requestsPerSecond);
        samples[name].p99.push(result.p99);
        if (name === 'civtag') failedRequests += result.failed;
      }
      progress(
        `run ${runIndex + 1}/${profile.servingRuns}: bare ${samples.bare.rate.at(-1).toFixed(0)}/s` +
          (civtag ? `, civtag ${samples.civtag.rate.at(-1).toFixed(0)}/s` : ''),
      );
    });
    shortRuns = shortRunsNote(runs, profile.servingRuns);
  } finally {
    await bare.stop();
    await civtag?.server.stop();
  }
  const size = `${(bytes.length / 1024).toFixed(1)} KiB WebP`;
  const rows = [
    compareRow({
      what: `Cached thumbnail (${size}), requests/s`,
      unit: 'req/s',
      civtag: samples.civtag.rate,
      baseline: { name: 'bare node:http from memory', samples: samples.bare.rate },
      target: { text: '≥ 0.8× bare node:http', check: (_median, ratio) => ratio >= 0.8 },
    }),
    compareRow({
      what: `Cached thumbnail (${size}), p99 latency`,
      unit: 'ms',
      civtag: samples.civtag.p99,
      baseline: { name: 'bare node:http from memory', samples: samples.bare.p99 },
    }),
  ];
  for (const row of rows) if (!row.civtag) row.civtagNote = civtagReason ?? 'no run';
  return {
    rows,
    notes: [
      ...(shortRuns ? [shortRuns] : []),
      `${profile.servingSeconds} s per run after a 1 s warm-up; autocannon runs in the benchmark process, ` +
        'each server in its own, so on 2 cores client and server get one core each.',
      ...(failedRequests
        ? [`civtag answered ${failedRequests} requests with an error or not at all.`]
        : []),
    ],
  };
}
