// Asks `GET /api/health` again and again while something else runs, to show whether the server
// still answers other clients meanwhile.

/** Starts probing `url`; `stop()` resolves `{ answered, failed, maxMs, latencies }`. */
export function startHealthProbe(url, headers, gapMs = 20) {
  const latencies = [];
  let failed = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${url}/api/health`, {
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
      return {
        answered: latencies.length,
        failed,
        maxMs: latencies.length ? Math.max(...latencies) : Number.NaN,
        latencies,
      };
    },
  };
}
