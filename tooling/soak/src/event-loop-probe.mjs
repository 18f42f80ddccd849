// Loaded into the server child with `node --import` (nothing in the server's own code): it
// measures the server's event-loop delay from inside and appends one JSON line per interval to
// the file named by CIVTAG_SOAK_PROBE_FILE, `{ t, p50, p99, max }` in ms since the last line.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const file = process.env.CIVTAG_SOAK_PROBE_FILE;
const everyMs = Number(process.env.CIVTAG_SOAK_PROBE_EVERY_MS ?? 1000);
// Processes the server starts do not inherit the probe.
delete process.env.CIVTAG_SOAK_PROBE_FILE;

if (isMainThread && file !== undefined && file !== '') {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const toMs = (nanoseconds) => Math.round(nanoseconds / 1e4) / 100;
  setInterval(() => {
    const line = {
      t: Date.now(),
      p50: toMs(histogram.percentile(50)),
      p99: toMs(histogram.percentile(99)),
      max: toMs(histogram.max),
    };
    histogram.reset();
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // The soak's folder is gone: the run is over.
    }
  }, everyMs).unref();
}
