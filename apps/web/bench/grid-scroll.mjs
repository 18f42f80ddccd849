// The page-side half of the grid benchmark, shared by apps/web/bench/grid-bench.mjs and the
// scroll probe (tooling/bench/probes/grid-scroll-trace.mjs): both functions are passed to the
// page (Playwright's addInitScript / evaluate) and run there, so they use nothing from outside.

// Runs in the page before any of its scripts: records long tasks and the first grid paint.
export function instrument() {
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

// Runs in the page: scrolls the grid from top to bottom as a person does. The way down is cut
// into `stops` equal legs. Each leg starts with a rest of `restMs` (the view settles and its
// rows are drawn, as when a scrollbar drag or a fling stops), then reads on for
// `readViewports` viewports in wheel-sized steps of `wheelPx` per frame (slow enough that the
// grid draws each row as it comes into view), then flies to the next stop at `step` viewports
// per frame (rows flown past are not drawn). Counts the frames in which image tiles were drawn
// (a tile given an image, read from the DOM's mutations) and the frames that showed none.
export function scrollToBottom({ step, stops, wheelPx, readViewports, restMs, timeoutMs }) {
  return new Promise((resolve) => {
    const grid = document.getElementById('image-grid');
    const bench = window.__gridBench;
    const startedAt = performance.now();
    const longTasksBefore = bench.longTasks.length;
    const bottom = grid.scrollHeight - grid.clientHeight;
    const legLength = bottom / Math.max(1, stops);
    let frames = 0;
    let blankFrames = 0;
    let drawingFrames = 0;
    let readingFrames = 0;
    let tilesDrawn = 0;
    let drewThisFrame = false;
    const drawn = new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes') {
          tilesDrawn += 1;
          drewThisFrame = true;
          continue;
        }
        for (const node of record.addedNodes) {
          if (node.nodeType !== 1) continue;
          const tiles = node.matches('.tile[data-image-id]')
            ? 1
            : node.querySelectorAll('.tile[data-image-id]').length;
          tilesDrawn += tiles;
          if (tiles > 0) drewThisFrame = true;
        }
      }
    });
    drawn.observe(grid, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['data-image-id'],
    });
    // Whether an image tile is in view, from the tiles' own transforms (no layout is forced).
    const tileInView = () => {
      const top = grid.scrollTop;
      for (const tile of grid.querySelectorAll('.tile[data-image-id]')) {
        const y = Number(/translate\([^,]+,\s*([\d.]+)px/.exec(tile.style.transform)?.[1]);
        if (y + Number.parseFloat(tile.style.height) > top && y < top + grid.clientHeight)
          return true;
      }
      return false;
    };
    let leg = 0;
    let phase = 'rest';
    let phaseStartedAt = performance.now();
    let readUntil = 0;
    const tick = () => {
      frames += 1;
      if (!tileInView()) blankFrames += 1;
      if (drewThisFrame) drawingFrames += 1;
      drewThisFrame = false;
      const now = performance.now();
      const timedOut = now - startedAt > timeoutMs;
      // At the bottom, the last rows are given the same rest to settle and draw.
      if (grid.scrollTop >= bottom - 1 && phase !== 'end') {
        phase = 'end';
        phaseStartedAt = now;
      }
      if ((phase === 'end' && now - phaseStartedAt >= restMs) || timedOut) {
        drawn.disconnect();
        const tasks = bench.longTasks
          .slice(longTasksBefore)
          .filter((task) => task.start >= startedAt);
        const durations = tasks.map((task) => task.duration).sort((left, right) => right - left);
        // When the longest ones came, from the start of the scroll: a cluster at the start
        // points at work left over from opening the page, one spread out at the scroll itself.
        const longestAtMs = [...tasks]
          .sort((left, right) => right.duration - left.duration)
          .slice(0, 5)
          .map((task) => Math.round(task.start - startedAt));
        resolve({
          durationMs: Math.round(now - startedAt),
          stops,
          wheelPx,
          readViewports,
          restMs,
          frames,
          readingFrames,
          framesDrawingTiles: drawingFrames,
          tilesDrawn,
          framesWithoutImageTiles: blankFrames,
          distancePx: Math.round(grid.scrollTop),
          reachedBottom: !timedOut,
          longTasks: {
            count: tasks.length,
            maxMs: Math.round(durations[0] ?? 0),
            longestMs: durations.slice(0, 5).map(Math.round),
            longestAtMs,
            totalMs: Math.round(durations.reduce((sum, duration) => sum + duration, 0)),
            over100ms: durations.filter((duration) => duration > 100).length,
          },
        });
        return;
      }
      if (phase === 'rest' && now - phaseStartedAt >= restMs) {
        phase = 'read';
        readUntil = Math.min(bottom, grid.scrollTop + readViewports * grid.clientHeight);
      }
      if (phase === 'read') {
        readingFrames += 1;
        grid.scrollTop = Math.min(readUntil, grid.scrollTop + wheelPx);
        if (grid.scrollTop >= readUntil - 1) {
          phase = 'fly';
          // A read that went past the next stops (a short grid) flies to the one after it.
          leg = Math.max(leg + 1, Math.ceil((grid.scrollTop + 1) / legLength));
        }
      } else if (phase === 'fly') {
        const stop = Math.min(bottom, leg * legLength);
        if (grid.scrollTop >= stop - 1) {
          phase = 'rest';
          phaseStartedAt = now;
        } else grid.scrollTop = Math.min(stop, grid.scrollTop + grid.clientHeight * step);
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}
