// The server's resources over each lifetime: resident memory and open file descriptors from
// /proc (Linux), event-loop delay from the probe loaded into the server, and the time
// `GET /api/health` takes from outside. "Flat after warm-up" compares, per lifetime, the median
// of the last third of the samples with the median of the second third (the first third is the
// warm-up).
import { readdir, readFile } from 'node:fs/promises';
import { requestJson } from './http-json.mjs';

/** How much the last third may exceed the second third before a lifetime is called not flat. */
export const FLAT_TOLERANCE = {
  /** Resident memory: 25 % more, plus 16 MiB. */
  rssMiB: { factor: 1.25, plusMiB: 16 },
  /** Open file descriptors: 16 more. */
  fds: { plus: 16 },
  /** 99th percentile of the event-loop delay: twice, and at least 50 ms more. */
  eventLoopP99Ms: { factor: 2, plusMs: 50 },
};
/** Fewer samples than this in a lifetime's load: too short to judge. */
export const MIN_SAMPLES_TO_JUDGE = 9;

async function residentMiB(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = status.match(/^VmRSS:\s+(\d+) kB$/m);
  return match === null ? undefined : Number(match[1]) / 1024;
}

/** Samples one server lifetime every `everyMs` until `stop()`; returns the samples. */
export function sampleLifetime({ server, base, everyMs }) {
  const samples = [];
  // The probe's first intervals began before the server listened: they hold the start itself
  // (loading, the journal's replay), kept apart from the delays of a serving server.
  const startup = { eventLoopMaxMs: 0 };
  let probeOffset = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      if (!running) break;
      try {
        const started = performance.now();
        const health = await requestJson(`${base}/api/health`, { timeoutMs: 10_000 });
        const healthMs = health.ok ? performance.now() - started : undefined;
        const rssMiB = await residentMiB(server.pid);
        const fds = (await readdir(`/proc/${server.pid}/fd`)).length;
        const probe = await readFile(server.probeFile, 'utf8').catch(() => '');
        const lines = probe.slice(probeOffset).split('\n').filter(Boolean);
        probeOffset = probe.lastIndexOf('\n') + 1;
        const delays = [];
        for (const delay of lines.map((line) => JSON.parse(line))) {
          if (delay.t - everyMs < server.startedAt) {
            startup.eventLoopMaxMs = Math.max(startup.eventLoopMaxMs, delay.max);
          } else delays.push(delay);
        }
        const eventLoopP99Ms =
          delays.length === 0 ? undefined : Math.max(...delays.map((delay) => delay.p99));
        const eventLoopMaxMs =
          delays.length === 0 ? undefined : Math.max(...delays.map((delay) => delay.max));
        samples.push({ t: Date.now(), rssMiB, fds, eventLoopP99Ms, eventLoopMaxMs, healthMs });
      } catch {
        // The process is gone (killed between two reads): the lifetime is over.
      }
    }
  })();
  return {
    samples,
    startup,
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

function median(values) {
  const sorted = values.filter((value) => typeof value === 'number').sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function percentile(values, fraction) {
  const sorted = values.filter((value) => typeof value === 'number').sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

const round = (value) => (value === undefined ? undefined : Math.round(value * 10) / 10);

/**
 * The figures of one lifetime and whether it was flat: `{ samples, judged, flat, problems,
 * rssMiB, fds, eventLoopP99Ms, healthMs, eventLoopMaxMs, startupEventLoopMaxMs }`; the first
 * three with the second and last third's medians. `startup` is the sampler's: the longest block
 * before the server listened (not judged).
 */
export function judgeLifetime(samples, startedAt, startup) {
  const worst = samples.reduce(
    (found, sample) =>
      (sample.eventLoopMaxMs ?? 0) > (found?.eventLoopMaxMs ?? 0) ? sample : found,
    undefined,
  );
  const third = Math.floor(samples.length / 3);
  const second = samples.slice(third, 2 * third);
  const last = samples.slice(2 * third);
  const pair = (field) => ({
    second: round(median(second.map((sample) => sample[field]))),
    last: round(median(last.map((sample) => sample[field]))),
  });
  const figures = {
    samples: samples.length,
    rssMiB: pair('rssMiB'),
    fds: pair('fds'),
    eventLoopP99Ms: pair('eventLoopP99Ms'),
    eventLoopMaxMs: round(worst?.eventLoopMaxMs ?? 0),
    startupEventLoopMaxMs: round(startup?.eventLoopMaxMs ?? 0),
    // When the longest block came, in s after the start: the first seconds replay the journal.
    eventLoopMaxAtS: worst === undefined ? undefined : Math.round((worst.t - startedAt) / 1000),
    healthMs: {
      p50: round(
        percentile(
          samples.map((sample) => sample.healthMs),
          0.5,
        ),
      ),
      p99: round(
        percentile(
          samples.map((sample) => sample.healthMs),
          0.99,
        ),
      ),
    },
  };
  const judged = samples.length >= MIN_SAMPLES_TO_JUDGE;
  const problems = [];
  if (judged) {
    const { rssMiB, fds, eventLoopP99Ms } = figures;
    const t = FLAT_TOLERANCE;
    if (rssMiB.last > rssMiB.second * t.rssMiB.factor + t.rssMiB.plusMiB)
      problems.push(`resident memory rose from ${rssMiB.second} to ${rssMiB.last} MiB`);
    if (fds.last > fds.second + t.fds.plus)
      problems.push(`open file descriptors rose from ${fds.second} to ${fds.last}`);
    if (
      eventLoopP99Ms.second !== undefined &&
      eventLoopP99Ms.last >
        Math.max(
          eventLoopP99Ms.second * t.eventLoopP99Ms.factor,
          eventLoopP99Ms.second + t.eventLoopP99Ms.plusMs,
        )
    )
      problems.push(
        `event-loop delay p99 rose from ${eventLoopP99Ms.second} to ${eventLoopP99Ms.last} ms`,
      );
  }
  return { ...figures, judged, flat: problems.length === 0, problems };
}
