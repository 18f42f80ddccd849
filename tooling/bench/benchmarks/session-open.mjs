// Opening a large tagged dataset: `openDataset` time and the resident memory of a process that
// holds it open, each in a fresh process, against reading + JSON.parse of the same snapshot file;
// and the civtag server on it: from `civtag serve` until the first page of images is answered,
// its resident memory then, and again with 100 socket clients connected, against a bare
// node:http process that parses the snapshot and serves the same page.
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChildServer } from '../lib/child-server.mjs';
import { repositoryRoot, requireFile } from '../lib/civtag-packages.mjs';
import { startCivtagServer } from '../lib/civtag-server.mjs';
import { listImageIds } from '../lib/image-ids.mjs';
import { runJsonProcess } from '../lib/json-process.mjs';
import { processMemory } from '../lib/process-memory.mjs';
import { repeatRuns, shortRunsNote } from '../lib/repeat-runs.mjs';
import { compareRow, describeFailure } from '../lib/rows.mjs';
import { connectCrowd } from '../lib/socket-clients.mjs';
import { copyTaggedDataset } from '../lib/tagged-dataset.mjs';

export const id = 'session-open';
export const title =
  'Opening a tagged dataset (25 tags per image): openDataset, and the server serving it';

const here = dirname(fileURLToPath(import.meta.url));
const probes = join(here, '../probes');
const snapshotServer = join(here, '../baselines/snapshot-server.mjs');
const GC = ['--expose-gc'];
const FIRST_PAGE = '/api/images?limit=100';
const FIRST_PAGE_TIMEOUT_MS = 300_000;
const SOCKET_CLIENTS = 100;
/** Ops sent through the socket with the clients connected, so that each has had frames. */
const OPS_WITH_CLIENTS = 20;

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

/**
 * Asks for the first page of images until it is answered (a server may listen before it serves:
 * a refused connection or a 503 is asked again 10 ms later). Resolves performance.now() then.
 */
async function firstPageAnswered(url, headers) {
  const deadline = performance.now() + FIRST_PAGE_TIMEOUT_MS;
  let last = 'no answer';
  while (performance.now() < deadline) {
    try {
      const response = await fetch(`${url}${FIRST_PAGE}`, { headers });
      const body = await response.json();
      if (response.ok && Array.isArray(body.images) && body.images.length > 0)
        return performance.now();
      last = `${response.status} ${JSON.stringify(body).slice(0, 120)}`;
    } catch (error) {
      last = describeFailure(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(
    `GET ${FIRST_PAGE} was not answered within ${FIRST_PAGE_TIMEOUT_MS / 1000} s: ${last}`,
  );
}

/**
 * `civtag serve` on `folder`: ms from the spawn until the first page is answered, resident memory
 * then, and with 100 socket clients connected after a few ops (MiB).
 */
async function measureCivtagServer(folder, runIndex) {
  const started = performance.now();
  const server = await startCivtagServer(folder);
  try {
    const listened = performance.now();
    const served = await firstPageAnswered(server.url, server.headers);
    const serving = await processMemory(server.pid);
    const imageIds = await listImageIds(server.url, server.headers, OPS_WITH_CLIENTS);
    const crowd = await connectCrowd(`${server.url.replace('http', 'ws')}/ws`, {
      headers: server.headers,
      count: SOCKET_CLIENTS,
      label: `open-${runIndex}`,
    });
    try {
      for (const [index, imageId] of imageIds.entries()) {
        await crowd.sendOp({
          type: 'add',
          target: { ids: [imageId] },
          tags: [`opened ${runIndex}-${index}`],
        });
      }
      const withClients = await processMemory(server.pid);
      return {
        servingMs: served - started,
        listenMs: listened - started,
        servingMB: serving.residentMB,
        clientsMB: withClients.residentMB,
        peakMB: withClients.peakResidentMB,
      };
    } finally {
      await crowd.close();
    }
  } finally {
    await server.stop();
  }
}

/** The bare snapshot server: the same three figures, without clients (it has no socket). */
async function measureSnapshotServer(snapshot) {
  const started = performance.now();
  const server = await startChildServer(snapshotServer, [snapshot], { startTimeoutMs: 120_000 });
  try {
    const served = await firstPageAnswered(server.url, {});
    const { residentMB, peakResidentMB } = await processMemory(server.pid);
    return { servingMs: served - started, servingMB: residentMB, peakMB: peakResidentMB };
  } finally {
    await server.stop();
  }
}

export async function run({ profile, progress, workFolder }) {
  const count = profile.sessionImages;
  const samples = { civtag: [], floor: [], server: [], bare: [] };
  const notes = [];
  let reason = null;
  let serverReason = null;
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
      // Alternate which server starts first, so neither always finds the page cache warmer.
      const servers = [
        async () => samples.bare.push(await measureSnapshotServer(snapshot)),
        async () => {
          try {
            samples.server.push(await measureCivtagServer(folder, runIndex));
          } catch (error) {
            serverReason = describeFailure(error);
            notes.push(`run ${runIndex + 1}: civtag serve: ${serverReason}`);
          }
        },
      ];
      for (const measure of runIndex % 2 ? servers.reverse() : servers) await measure();
      const served = samples.server.at(-1);
      if (served)
        progress(
          `run ${runIndex + 1}/${profile.sessionRuns}: civtag serves in ${served.servingMs.toFixed(0)} ms ` +
            `(listening at ${served.listenMs.toFixed(0)} ms), ${served.servingMB.toFixed(0)} MB resident, ` +
            `${served.clientsMB.toFixed(0)} MB with ${SOCKET_CLIENTS} clients; bare snapshot server ` +
            `${samples.bare.at(-1).servingMs.toFixed(0)} ms, ${samples.bare.at(-1).servingMB.toFixed(0)} MB`,
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
  const bareName = 'bare node:http: read + parse the snapshot, serve the page';
  const bare = (key) => ({ name: bareName, samples: samples.bare.map((sample) => sample[key]) });
  const server = (key) => samples.server.map((sample) => sample[key]);
  const serverRows = [
    compareRow({
      what: `civtag serve, ${size} images: until GET ${FIRST_PAGE} is answered, ms`,
      unit: 'ms',
      civtag: server('servingMs'),
      baseline: bare('servingMs'),
      target: { text: `< 1,000 ms${stated}`, check: (median) => median < 1000 },
    }),
    compareRow({
      what: `civtag server's resident memory then, ${size} images, MB`,
      unit: 'MB',
      civtag: server('servingMB'),
      baseline: bare('servingMB'),
      target: { text: `< 300 MB${stated}`, check: (median) => median < 300 },
    }),
    compareRow({
      what: `civtag server's resident memory with ${SOCKET_CLIENTS} socket clients, ${size} images, MB`,
      unit: 'MB',
      civtag: server('clientsMB'),
      baseline: { ...bare('servingMB'), name: `${bareName} (no clients)` },
      target: { text: `< 400 MB${stated}`, check: (median) => median < 400 },
    }),
    compareRow({
      what: "civtag server's peak resident memory so far (VmHWM), MB",
      unit: 'MB',
      civtag: server('peakMB'),
      baseline: bare('peakMB'),
    }),
  ];
  for (const row of rows) if (!row.civtag) row.civtagNote = reason ?? 'no successful run';
  for (const row of serverRows)
    if (!row.civtag) row.civtagNote = serverReason ?? reason ?? 'no successful run';
  return {
    rows: [...rows, ...serverRows, ...sessionRows],
    notes: [
      'Each figure comes from a fresh Node process (after a forced GC); an empty Node process holds about ' +
        `${samples.floor[0]?.baseRssMB?.toFixed(0) ?? '40'} MB resident.`,
      `The server figures run from spawning \`civtag serve\` (Node's start included) until GET ${FIRST_PAGE} ` +
        `answers with images; memory is the server process's VmRSS then, and again once ${SOCKET_CLIENTS} ` +
        `socket clients are connected and ${OPS_WITH_CLIENTS} ops have reached them all. The server listened ` +
        `after ${samples.server.map((sample) => `${sample.listenMs.toFixed(0)} ms`).join(', ') || '—'}.`,
      ...notes,
    ],
  };
}
