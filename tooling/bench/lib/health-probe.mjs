// Asks the server for something again and again while something else runs (a bulk op, an open),
// to show whether it still answers other clients meanwhile, and how fast.
import { percentiles } from './statistics.mjs';

/**
 * Starts asking `GET url + path` every `gapMs` after the last answer. `stop()` resolves
 * `{ answered, failed, maxMs, p50, p99, latencies }` (latencies in ms of the answered requests).
 */
export function startRequestProbe(url, headers, { path = '/api/health', gapMs = 20 } = {}) {
  const latencies = [];
  let failed = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${url}${path}`, {
          headers,
          signal: AbortSignal.timeout(30_000),
        });
        await response.arrayBuffer();
        if (response.ok) latencies.push(performance.now() - started);
        else failed++;
      } catch {
        failed++;
      }
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const { p50, p99, max } = percentiles(latencies);
      return { answered: latencies.length, failed, maxMs: max, p50, p99, latencies };
    },
  };
}

/** {@link startRequestProbe} of `GET /api/health`. */
export function startHealthProbe(url, headers, gapMs = 20) {
  return startRequestProbe(url, headers, { path: '/api/health', gapMs });
}
