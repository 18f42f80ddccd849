// The bulk-op benchmark's caption writes, for one or more builds of the civtag server side by
// side: each server serves its own copy of the cached N-image dataset, and every run adds a tag to
// all images on each server in turn (a different one first each run) and writes the floor
// (temp + rename over existing files, 16 at a time) between them. Prints one JSON line with the
// median and runs of each, and each one's ratio to the floor of the same runs; on Linux also the
// CPU time (user + system, all threads) each spent: on a loaded machine the wall times wander with
// the load, the CPU a process spends on the same work much less.
// Usage: node probes/bulk-op-servers.mjs <work folder> <count> <runs> <cli.js> [<cli.js> ...]
// (copy apps/server/dist somewhere before a change to measure the build before it; with
// CIVTAG_PROBE_CPU_PROF=<folder>, the servers write V8 CPU profiles there when stopped; with
// CIVTAG_PROBE_CLIENTS=1, two clients ask for /api/health and /api/images?limit=100 meanwhile,
// as in the benchmark).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeCaptionFiles } from '../baselines/caption-writes.mjs';
import { flushToDisk } from '../lib/flush-to-disk.mjs';
import { startRequestProbe } from '../lib/health-probe.mjs';
import { processCpuSeconds } from '../lib/process-cpu.mjs';
import { median } from '../lib/statistics.mjs';
import { tagsFor } from '../lib/tag-vocabulary.mjs';
import { copyTaggedDataset } from '../lib/tagged-dataset.mjs';

const [workFolder, countText = '10000', runsText = '5', ...clis] = process.argv.slice(2);
const count = Number(countText);
const runs = Number(runsText);
const cpuProfiles = process.env.CIVTAG_PROBE_CPU_PROF;
const otherClients = process.env.CIVTAG_PROBE_CLIENTS === '1';

/** CPU seconds (user + system) a process has spent so far, from /proc; null elsewhere. */
const cpuSeconds = (pid) => processCpuSeconds(pid).catch(() => null);

async function startServer(cli, folder) {
  const profiling = cpuProfiles ? ['--cpu-prof', `--cpu-prof-dir=${resolve(cpuProfiles)}`] : [];
  const child = spawn(
    process.execPath,
    [...profiling, cli, 'serve', folder, '--host', '127.0.0.1', '--port', '0', '--json'],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let pending = '';
  const address = await new Promise((resolveAddress, reject) => {
    child.once('exit', (code) => reject(new Error(`${cli} exited (${code})`)));
    child.stdout.on('data', (chunk) => {
      pending += chunk.toString();
      for (const line of pending.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const parsed = JSON.parse(line);
          if (typeof parsed.url === 'string') resolveAddress(parsed);
        } catch {}
      }
    });
  });
  return {
    pid: child.pid,
    url: address.url.replace(/\/$/, ''),
    headers: address.token ? { authorization: `Bearer ${address.token}` } : {},
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function bulkAdd(server, tag) {
  const probes = otherClients
    ? ['/api/health', '/api/images?limit=100'].map((path) =>
        startRequestProbe(server.url, server.headers, { path }),
      )
    : [];
  try {
    return await bulkAddAlone(server, tag);
  } finally {
    await Promise.all(probes.map((probe) => probe.stop()));
  }
}

async function bulkAddAlone(server, tag) {
  const cpuBefore = await cpuSeconds(server.pid);
  const started = performance.now();
  const response = await fetch(`${server.url}/api/ops`, {
    method: 'POST',
    headers: { ...server.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ op: { type: 'add', target: { all: true }, tags: [tag] } }),
  });
  if (!response.ok) throw new Error(`POST /api/ops: ${response.status} ${await response.text()}`);
  await response.text();
  for (;;) {
    const health = await (
      await fetch(`${server.url}/api/health`, { headers: server.headers })
    ).json();
    if (health.captionsPending === 0) {
      const seconds = (performance.now() - started) / 1000;
      const cpuAfter = await cpuSeconds(server.pid);
      return { seconds, cpu: cpuBefore === null ? null : cpuAfter - cpuBefore };
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 10));
  }
}

const captions = Array.from({ length: count }, (_, index) => tagsFor(index).join(', '));
const floorFolder = join(workFolder, 'floor');
await writeCaptionFiles(floorFolder, captions);
const servers = [];
for (const [index, cli] of clis.entries()) {
  const { folder } = await copyTaggedDataset(count, join(workFolder, `dataset-${index}`));
  servers.push({ cli, server: await startServer(resolve(cli), folder), samples: [], cpu: [] });
}
// Every file measured over on the disk, as in the benchmark (lib/flush-to-disk.mjs says why).
await flushToDisk();
const floor = [];
const floorCpu = [];
try {
  for (let run = 0; run < runs; run += 1) {
    const tag = `bulk edit ${run}`;
    const turns = [...servers.keys(), -1];
    for (let turn = 0; turn < turns.length; turn += 1) {
      const which = turns[(run + turn) % turns.length];
      if (which === -1) {
        const text = captions.map((caption) => `${caption}, ${tag}`);
        const cpuBefore = process.cpuUsage();
        floor.push(await writeCaptionFiles(floorFolder, text));
        const cpu = process.cpuUsage(cpuBefore);
        floorCpu.push((cpu.user + cpu.system) / 1e6);
      } else {
        const entry = servers[which];
        const { seconds, cpu } = await bulkAdd(entry.server, tag);
        entry.samples.push(seconds);
        entry.cpu.push(cpu);
      }
    }
    process.stderr.write(
      `run ${run + 1}: floor ${floor.at(-1).toFixed(2)} s (CPU ${floorCpu.at(-1).toFixed(2)} s); ${servers.map((entry) => `${entry.samples.at(-1).toFixed(2)} s (CPU ${entry.cpu.at(-1)?.toFixed(2)} s)`).join(', ')}\n`,
    );
  }
} finally {
  for (const entry of servers) await entry.server.stop();
  await rm(workFolder, { recursive: true, force: true });
}
const round = (values) => values.map((value) => +value.toFixed(3));
const result = {
  count,
  runs,
  floor: {
    median: +median(floor).toFixed(3),
    runs: round(floor),
    cpu: { median: +median(floorCpu).toFixed(3), runs: round(floorCpu) },
  },
};
for (const entry of servers) {
  const ratios = entry.samples.map((value, index) => value / floor[index]);
  result[entry.cli] = {
    median: +median(entry.samples).toFixed(3),
    ratioOfMedians: +(median(entry.samples) / median(floor)).toFixed(3),
    medianRatio: +median(ratios).toFixed(3),
    runs: round(entry.samples),
    cpu: entry.cpu.includes(null)
      ? null
      : {
          median: +median(entry.cpu).toFixed(3),
          ratioToFloor: +(median(entry.cpu) / median(floorCpu)).toFixed(3),
          runs: round(entry.cpu),
        },
  };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
