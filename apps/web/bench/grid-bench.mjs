#!/usr/bin/env node
// Measures the civtag web app on a running server (meant for a 100,000-image dataset): the time
// to the first grid paint; the long tasks (PerformanceObserver 'longtask', > 50 ms) while the
// grid is scrolled from top to bottom as a person does (rests where rows are drawn at once,
// wheel-sized reading where they are drawn as they come into view, flights between); End → the
// bottom tiles painted; and, with a vocabulary CSV, the work per keystroke of autocomplete (the
// server started with that vocabulary) and of the tag sidebar's search over a list of distinct
// tags taken from the CSV. Prints one JSON document on standard output.
//
//   node apps/web/bench/grid-bench.mjs http://127.0.0.1:4747/ [--stops 50] [--wheel-px 50]
//     [--read-viewports 2] [--rest-ms 300] [--step 1] [--timeout-s 240]
//     [--end-runs 5] [--vocabulary-csv tags.csv] [--sidebar-tags 50000]
//
// --stops           the way down is cut into this many legs (default 50); each starts with a
//                   rest, then reads on in wheel steps, then flies to the next leg
// --rest-ms         how long each rest lasts (default 300; the grid settles after ~100 ms)
// --wheel-px        the scroll per frame while reading (default 50: ~3,000 px/s at 60 fps, a
//                   brisk mouse wheel or touchpad; slow enough that rows settle as they come)
// --read-viewports  how far each leg reads, in viewport heights (default 2)
// --step            how many viewport heights to fly per animation frame (default 1)
// --timeout-s       give up scrolling after this many seconds (default 240); the JSON says so
// --end-runs        how many times Home then End is pressed, each timed (default 5; 0: none)
// --vocabulary-csv  the CSV the server was started with (--vocabulary): autocomplete is timed
//                   typing its tags, and the sidebar over --sidebar-tags of its tags
// --sidebar-tags    distinct tags the sidebar is given for its timing (default 50000; 0: none)
// CIVTAG_CHROMIUM overrides the browser (default /usr/bin/chromium).
//
// A keystroke's time is from the input event to the page having rendered and laid out its
// answer (the handler, the render, style and layout; not the paint), with 40 ms between keys.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './chromium-launch.mjs';
import { instrument, scrollToBottom } from './grid-scroll.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    step: { type: 'string', default: '1' },
    stops: { type: 'string', default: '50' },
    'wheel-px': { type: 'string', default: '50' },
    'read-viewports': { type: 'string', default: '2' },
    'rest-ms': { type: 'string', default: '300' },
    'timeout-s': { type: 'string', default: '240' },
    'end-runs': { type: 'string', default: '5' },
    'vocabulary-csv': { type: 'string' },
    'sidebar-tags': { type: 'string', default: '50000' },
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
const scrollPlan = {
  step,
  stops: Number(values.stops),
  wheelPx: Number(values['wheel-px']),
  readViewports: Number(values['read-viewports']),
  restMs: Number(values['rest-ms']),
};
const timeoutMs = Number(values['timeout-s']) * 1000;
const endRuns = Number(values['end-runs']);
const sidebarTagCount = Number(values['sidebar-tags']);

// Runs in the page: Home, then End, timed from the End key's event to the last tile painted.
function timeEndKey({ total }) {
  return new Promise((resolve) => {
    const grid = document.getElementById('image-grid');
    const lastTile = () =>
      grid.querySelector(`.tile[data-image-id][aria-posinset="${total}"]`) !== null;
    const firstTile = () => grid.querySelector('.tile[data-image-id][aria-posinset="1"]');
    const press = (key) =>
      grid.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    grid.focus();
    press('Home');
    const waitForTop = () => {
      if (firstTile() === null || grid.scrollTop > 0) {
        setTimeout(waitForTop, 20);
        return;
      }
      // Let the top settle and paint, then go to the end.
      setTimeout(() => {
        let startedAt = 0;
        grid.addEventListener(
          'keydown',
          (event) => {
            startedAt = event.timeStamp;
          },
          { once: true, capture: true },
        );
        press('End');
        const watch = () => {
          if (!lastTile()) {
            requestAnimationFrame(watch);
            return;
          }
          // Two frames later the tiles have been painted.
          requestAnimationFrame(() =>
            requestAnimationFrame(() => resolve(performance.now() - startedAt)),
          );
        };
        watch();
      }, 300);
    };
    waitForTop();
  });
}

// Runs in the page: types each word into the field `selector`, a character at a time, and
// times each keystroke from its input event to its answer rendered (Preact renders in a
// microtask) and laid out. Between keystrokes the page gets 40 ms, as between a person's keys,
// so that its frames and timers do not land inside the next keystroke's time.
async function timeKeystrokes({ selector, words }) {
  const field = document.querySelector(selector);
  field.focus();
  const rendered = () => new Promise((resolve) => queueMicrotask(resolve));
  const pause = () => new Promise((resolve) => setTimeout(resolve, 40));
  const type = async (text) => {
    const startedAt = performance.now();
    field.value = text;
    field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
    await rendered();
    document.body.getBoundingClientRect();
    return performance.now() - startedAt;
  };
  const times = [];
  for (const word of words) {
    for (let length = 1; length <= word.length; length += 1) {
      times.push(await type(word.slice(0, length)));
      await pause();
    }
    await type('');
    await pause();
  }
  return times;
}

function percentile(samples, fraction) {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function keystrokeSummary(times) {
  return {
    keystrokes: times.length,
    medianMs: Number(percentile(times, 0.5).toFixed(2)),
    p95Ms: Number(percentile(times, 0.95).toFixed(2)),
    maxMs: Number(Math.max(...times).toFixed(2)),
  };
}

/** The first `count` tags of a tagcomplete CSV, with their counts, most used first. */
async function readVocabularyTags(file, count) {
  const tags = [];
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (tags.length >= count) break;
    const [tag, , posts] = line.split(',');
    if (tag) tags.push({ tag, count: Number(posts) || 1 });
  }
  return tags;
}

/** `count` tags spread over `tags`, each cut to at most `length` characters, and one that matches nothing. */
function wordsToType(tags, count, length) {
  const words = [];
  for (let index = 0; index < count; index += 1) {
    const tag = tags[Math.floor(((index + 0.5) / count) * tags.length)]?.tag ?? '';
    words.push(tag.slice(0, length));
  }
  words.push('qxzqxz');
  return words.filter((word) => word !== '');
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
  const scroll = await page.evaluate(scrollToBottom, { ...scrollPlan, timeoutMs });
  const tilesAtBottom = await page.evaluate(() => document.querySelectorAll('.tile').length);
  const endKey = [];
  for (let run = 0; run < endRuns && imageCount > 0; run += 1) {
    endKey.push(Math.round(await page.evaluate(timeEndKey, { total: imageCount })));
  }
  let autocomplete = null;
  let sidebar = null;
  if (values['vocabulary-csv'] !== undefined) {
    const vocabularyTags = await readVocabularyTags(
      values['vocabulary-csv'],
      Number.POSITIVE_INFINITY,
    );
    // Autocomplete in the editor's tag input, once the vocabulary has arrived and is indexed.
    await page.evaluate(() => document.getElementById('image-grid').focus());
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const input = page.locator('#editor-tag-input');
    await input.waitFor();
    // A whole tag from the vocabulary's tail: no dataset tag hides it from the suggestions.
    const probe = vocabularyTags.at(-1).tag;
    await input.fill(probe);
    await page.locator('.suggestion-count.source-vocabulary').first().waitFor({ timeout: 60_000 });
    await input.fill('');
    const typed = await page.evaluate(timeKeystrokes, {
      selector: '#editor-tag-input',
      words: wordsToType(vocabularyTags, 20, 10),
    });
    autocomplete = { vocabularyTags: vocabularyTags.length, ...keystrokeSummary(typed) };
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    if (sidebarTagCount > 0) {
      // The sidebar over a list of distinct tags as long as asked: GET /api/tags is answered
      // with the CSV's first tags in a fresh page, so the grid's dataset need not hold them.
      const sidebarTags = vocabularyTags.slice(0, sidebarTagCount);
      const sidebarPage = await context.newPage();
      await sidebarPage.route('**/api/tags', (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({ revision: 0, tags: sidebarTags }),
        }),
      );
      await sidebarPage.goto(url);
      await sidebarPage.waitForFunction(
        (expected) =>
          document.querySelector('.sidebar-title .muted')?.textContent ===
          expected.toLocaleString(),
        sidebarTags.length,
        { timeout: 60_000 },
      );
      const searched = await sidebarPage.evaluate(timeKeystrokes, {
        selector: '#tag-search',
        words: wordsToType(sidebarTags, 20, 8),
      });
      sidebar = { distinctTags: sidebarTags.length, ...keystrokeSummary(searched) };
      await sidebarPage.close();
    }
  }
  const result = {
    benchmark: 'web-grid',
    url: url.replace(/token=[^&]+/, 'token=…'),
    imageCount,
    browser: `chromium ${browser.version()}`,
    viewport: '1440x900',
    ...load,
    scroll: { flyViewportsPerFrame: step, ...scroll, tilesInDomAtBottom: tilesAtBottom },
    endKey: endKey.length === 0 ? null : { runs: endKey, medianMs: percentile(endKey, 0.5) },
    autocomplete,
    sidebar,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await browser.close();
}
