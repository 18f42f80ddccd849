#!/usr/bin/env node
// Measures the civtag web app's grid on a running server (meant for a 100,000-image dataset):
// the time to the first grid paint, and the long tasks (PerformanceObserver 'longtask', > 50 ms)
// while the grid is scrolled from top to bottom. Prints one JSON document on standard output.
//
//   node apps/web/bench/grid-bench.mjs http://127.0.0.1:4747/ [--step 1] [--timeout-s 240]
//
// --step      how many viewport heights to scroll per animation frame (default 1)
// --timeout-s give up scrolling after this many seconds (default 240); the JSON says so
// CIVTAG_CHROMIUM overrides the browser (default /usr/bin/chromium).
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './chromium-launch.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    step: { type: 'string', default: '1' },
    'timeout-s': { type: 'string', default: '240' },
  },
});
const url = positionals[0];
if (url === undefined) {
  process.stderr.write(
    'Usage: node apps/web/bench/grid-bench.mjs <server URL> [--step N] [--timeout-s S]\n',
  );
  process.exit(2);
}
const step = Number(values.step);
const timeoutMs = Number(values['timeout-s']) * 1000;

// Runs in the page before any of its scripts: records long tasks and the first grid paint.
function instrument() {
  const bench = { longTasks: [], firstTileAt: null, firstPaintAt: null, firstThumbnailAt: null };
  window.__gridBench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const watch = new MutationObserver(() => {
    if (bench.firstTileAt === null && document.querySelector('.tile[data-image-id]') !== null) {
      bench.firstTileAt = performance.now();
      // Two frames later the tiles have been painted.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          bench.firstPaintAt = performance.now();
        }),
      );
    }
    const image = document.querySelector('.tile[data-image-id] img');
    if (image !== null && bench.firstThumbnailAt === null) {
      const done = () => {
        if (bench.firstThumbnailAt === null) bench.firstThumbnailAt = performance.now();
      };
      if (image.complete && image.naturalWidth > 0) done();
      else image.addEventListener('load', done, { once: true });
    }
    if (bench.firstPaintAt !== null && bench.firstThumbnailAt !== null) watch.disconnect();
  });
  watch.observe(document, { childList: true, subtree: true });
}

// Runs in the page: scrolls the grid to the bottom, `step` viewports per frame.
function scrollToBottom({ step, timeoutMs }) {
  return new Promise((resolve) => {
    const grid = document.getElementById('image-grid');
    const bench = window.__gridBench;
    const startedAt = performance.now();
    const longTasksBefore = bench.longTasks.length;
    let frames = 0;
    let placeholderFrames = 0;
    const tick = () => {
      frames += 1;
      if (grid.querySelector('.tile.placeholder') !== null) placeholderFrames += 1;
      const bottom = grid.scrollHeight - grid.clientHeight;
      const timedOut = performance.now() - startedAt > timeoutMs;
      if (grid.scrollTop >= bottom - 1 || timedOut) {
        const tasks = bench.longTasks
          .slice(longTasksBefore)
          .filter((task) => task.start >= startedAt);
        resolve({
          durationMs: Math.round(performance.now() - startedAt),
          frames,
          framesWithPlaceholders: placeholderFrames,
          distancePx: Math.round(grid.scrollTop),
          reachedBottom: !timedOut,
          longTasks: {
            count: tasks.length,
            maxMs: Math.round(Math.max(0, ...tasks.map((task) => task.duration))),
            totalMs: Math.round(tasks.reduce((sum, task) => sum + task.duration, 0)),
            over100ms: tasks.filter((task) => task.duration > 100).length,
          },
        });
        return;
      }
      grid.scrollTop = Math.min(bottom, grid.scrollTop + grid.clientHeight * step);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

// Playwright gives the launch a fresh temporary profile and removes it on close.
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(instrument);
  await page.goto(url);
  await page.waitForFunction(() => window.__gridBench?.firstPaintAt !== null, null, {
    timeout: 60_000,
  });
  await page
    .waitForFunction(() => window.__gridBench?.firstThumbnailAt !== null, null, { timeout: 60_000 })
    .catch(() => {});
  const load = await page.evaluate(() => {
    const bench = window.__gridBench;
    const longTasks = bench.longTasks.filter((task) => task.start <= bench.firstPaintAt);
    return {
      firstGridPaintMs: Math.round(bench.firstPaintAt),
      firstThumbnailMs: bench.firstThumbnailAt === null ? null : Math.round(bench.firstThumbnailAt),
      longTasksBeforePaint: longTasks.length,
      longestTaskBeforePaintMs: Math.round(Math.max(0, ...longTasks.map((task) => task.duration))),
      tilesInDom: document.querySelectorAll('.tile').length,
    };
  });
  const imageCount = await page.evaluate(async () => {
    const response = await fetch('/api/dataset');
    return (await response.json()).imageCount;
  });
  const scroll = await page.evaluate(scrollToBottom, { step, timeoutMs });
  const tilesAtBottom = await page.evaluate(() => document.querySelectorAll('.tile').length);
  const result = {
    benchmark: 'web-grid',
    url: url.replace(/token=[^&]+/, 'token=…'),
    imageCount,
    browser: `chromium ${browser.version()}`,
    viewport: '1440x900',
    ...load,
    scroll: { stepViewports: step, ...scroll, tilesInDomAtBottom: tilesAtBottom },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await browser.close();
}
