// Scrolls the web grid over a served 100k dataset the way the web-grid benchmark does
// (apps/web/bench/grid-scroll.mjs: rests, wheel-sized reading, flights) and says what its
// longest tasks were made of. With --trace, Chromium records a performance trace of the scroll
// (Tracing domain over CDP, with V8's sampling profiler); the main-thread tasks over --over ms
// and the eight with the most CPU are printed with their CPU time (thread time, which a busy
// machine does not lengthen, unlike the wall clock), their parts (style, layout, paint, garbage
// collection, the commit to the compositor), the functions sampled in them (named through the
// web app's source map, and the web app's own function under each sample) and what the other
// threads of Chromium ran meanwhile, with counts of the scroll's tasks by CPU and wall time.
// Each run also gives the long tasks (> 50 ms, PerformanceObserver, as the benchmark counts
// them), the server's CPU, and the page's JavaScript heap in use before the scroll and kept after it.
// Prints one JSON line per run and a summary line per build.
//
// Usage: node probes/grid-scroll-trace.mjs <work folder> [--images 100000] [--runs 1] [--trace]
//          [--over 30] [--stops 50] [--cli apps/server/dist/cli.js]... [--keep-trace]
//        node probes/grid-scroll-trace.mjs - --analyse <kept trace file> [--over 30]
// Several --cli (builds of the server, each with its web app) are run in turn, --runs rounds,
// on the same copy of the dataset, so that a before and an after meet the same load.
// The dataset is the benchmarks' cached one (built or brought up to date first, as the benchmarks
// do), copied (hard links) so that the cache is never written by a run.
import { createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createRequire, SourceMap } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { repositoryRoot } from '../lib/civtag-packages.mjs';
import { startCivtagServer } from '../lib/civtag-server.mjs';
import { processCpuSeconds } from '../lib/process-cpu.mjs';
import { median } from '../lib/statistics.mjs';
import { writeSyntheticVocabulary } from '../lib/synthetic-vocabulary.mjs';
import { copyTaggedDataset } from '../lib/tagged-dataset.mjs';
import { readTraceEvents } from './trace-events.mjs';

// The browser side belongs to the web app's tooling: playwright-core, Chromium's launch options
// and the scroll itself are taken from apps/web by path, as web-grid runs grid-bench.mjs by path.
const { chromium } = createRequire(join(repositoryRoot, 'apps/web/package.json'))(
  'playwright-core',
);
const webBench = (file) => import(pathToFileURL(join(repositoryRoot, 'apps/web/bench', file)).href);
const { chromiumLaunchOptions } = await webBench('chromium-launch.mjs');
const { instrument, scrollToBottom } = await webBench('grid-scroll.mjs');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    images: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '1' },
    trace: { type: 'boolean', default: false },
    'keep-trace': { type: 'boolean', default: false },
    over: { type: 'string', default: '30' },
    cli: { type: 'string', multiple: true },
    stops: { type: 'string', default: '50' },
    analyse: { type: 'string' },
    'source-map': { type: 'string', default: 'apps/web/dist/app.js.map' },
  },
});
const [workFolder] = positionals;
if (workFolder === undefined) {
  process.stderr.write('Usage: node probes/grid-scroll-trace.mjs <work folder> [--trace] ...\n');
  process.exit(2);
}
const count = Number(values.images);
const overMs = Number(values.over);
const clis = (values.cli ?? ['apps/server/dist/cli.js']).map((cli) => resolve(repositoryRoot, cli));
const SCROLL_PLAN = {
  step: 1,
  stops: Number(values.stops),
  wheelPx: 50,
  readViewports: 2,
  restMs: 300,
};
const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'disabled-by-default-v8.gc',
  'blink.user_timing',
  'cc',
  // JavaScript samples, so that a task's script time is told by function.
  'disabled-by-default-v8.cpu_profiler',
];

/** Writes Chromium's trace of `work` to `file` (streamed: a 100k scroll traces hundreds of MB). */
async function traced(session, file, work) {
  await session.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      recordMode: 'recordAsMuchAsPossible',
      traceBufferSizeInKb: 1_500_000,
      includedCategories: TRACE_CATEGORIES,
    },
  });
  const result = await work();
  const complete = new Promise((done) => session.once('Tracing.tracingComplete', done));
  await session.send('Tracing.end');
  const { stream } = await complete;
  const out = createWriteStream(file);
  for (;;) {
    const chunk = await session.send('IO.read', { handle: stream, size: 8 << 20 });
    out.write(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64') : chunk.data);
    if (chunk.eof) break;
  }
  await session.send('IO.close', { handle: stream });
  out.end();
  await finished(out);
  return result;
}

async function scrollOnce(url, traceFile) {
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(instrument);
    await page.goto(url);
    await page.waitForFunction(() => window.__gridBench?.firstPaintAt !== null, null, {
      timeout: 60_000,
    });
    const firstPaintMs = Math.round(await page.evaluate(() => window.__gridBench.firstPaintAt));
    // The scroll starts when the benchmark's does: once the first thumbnail is shown, while the
    // page may still be finishing its load (the tags, the vocabulary, the live connection).
    await page
      .waitForFunction(() => window.__gridBench?.firstThumbnailAt !== null, null, {
        timeout: 60_000,
      })
      .catch(() => {});
    const timeoutMs = 300_000;
    const session = await page.context().newCDPSession(page);
    // The JavaScript heap in use (garbage included: a collection forced here would spare the
    // scroll one), and after the scroll the heap the page keeps (after a full collection), in MB.
    const heapInUse = async () =>
      round((await session.send('Runtime.getHeapUsage')).usedSize / 2 ** 20);
    const heapBeforeMb = await heapInUse();
    const scroll = traceFile
      ? await traced(session, traceFile, () =>
          page.evaluate(scrollToBottom, { ...SCROLL_PLAN, timeoutMs }),
        )
      : await page.evaluate(scrollToBottom, { ...SCROLL_PLAN, timeoutMs });
    await session.send('HeapProfiler.collectGarbage');
    return { firstPaintMs, scroll, heapMb: [heapBeforeMb, await heapInUse()] };
  } finally {
    await browser.close();
  }
}

const round = (value) => Math.round(value * 10) / 10;

/** The long main-thread tasks of a trace, each with its CPU time and parts. */
async function longTasksOf(traceFile) {
  const threadNames = new Map();
  const mainEvents = [];
  const otherEvents = [];
  const profiles = new Map();
  for await (const event of readTraceEvents(traceFile)) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.ph === 'M' && event.name === 'thread_name') {
      threadNames.set(thread, event.args.name);
      continue;
    }
    if (event.name === 'Profile' || event.name === 'ProfileChunk') {
      const key = `${event.pid}:${event.id}`;
      const profile = profiles.get(key) ?? { thread, nodes: new Map(), samples: [], time: 0 };
      profiles.set(key, profile);
      if (event.name === 'Profile') {
        profile.thread = thread;
        profile.time = event.args.data.startTime;
        continue;
      }
      const { cpuProfile = {}, timeDeltas = [] } = event.args.data;
      for (const node of cpuProfile.nodes ?? []) profile.nodes.set(node.id, node);
      (cpuProfile.samples ?? []).forEach((id, index) => {
        profile.time += timeDeltas[index] ?? 0;
        profile.samples.push({ id, time: profile.time });
      });
      continue;
    }
    if (event.ph !== 'X' || !(event.dur >= 300)) continue;
    (event.name === 'RunTask' || event.name === 'ThreadControllerImpl::RunTask'
      ? otherEvents
      : mainEvents
    ).push({ ...event, thread });
  }
  const isMain = (event) => threadNames.get(event.thread) === 'CrRendererMain';
  // The outermost tasks only (a RunTask holds a ThreadControllerImpl::RunTask of the same span).
  const mainTasks = [];
  for (const task of otherEvents.filter(isMain).sort((left, right) => left.ts - right.ts)) {
    const last = mainTasks.at(-1);
    if (last && last.thread === task.thread && task.ts < last.ts + last.dur) continue;
    mainTasks.push(task);
  }
  const origin = Math.min(...mainTasks.map((event) => event.ts));
  const cpuOf = (task) => (task.tdur ?? 0) / 1000;
  const histogram = {};
  for (const limit of [5, 10, 20, 30]) {
    histogram[`cpuOver${limit}ms`] = mainTasks.filter((task) => cpuOf(task) > limit).length;
    histogram[`wallOver${limit}ms`] = mainTasks.filter((task) => task.dur / 1000 > limit).length;
  }
  const longest = (by) => [...mainTasks].sort((left, right) => by(right) - by(left)).slice(0, 8);
  const chosen = new Set([
    ...mainTasks.filter((task) => task.dur >= overMs * 1000),
    ...longest(cpuOf),
  ]);
  const tasks = [...chosen].sort((left, right) => right.dur - left.dur);
  return {
    mainTasks: mainTasks.length,
    ...histogram,
    tasks: tasks.map((task) => describeTask(task)),
  };

  function describeTask(task) {
    const end = task.ts + task.dur;
    const inside = mainEvents
      .filter((event) => event.thread === task.thread && event.ts >= task.ts && event.ts < end)
      .sort((left, right) => left.ts - right.ts);
    // Each part's own time: its time less that of the parts inside it.
    const parts = new Map();
    const stack = [];
    for (const event of inside) {
      while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= event.ts) stack.pop();
      const parent = stack.at(-1);
      const name = partName(event);
      const part = parts.get(name) ?? { name, count: 0, wallMs: 0, cpuMs: 0 };
      part.count += 1;
      part.wallMs += event.dur / 1000;
      part.cpuMs += (event.tdur ?? 0) / 1000;
      parts.set(name, part);
      if (parent !== undefined) {
        const parentPart = parts.get(partName(parent));
        parentPart.wallMs -= event.dur / 1000;
        parentPart.cpuMs -= (event.tdur ?? 0) / 1000;
      }
      stack.push(event);
    }
    // What the other threads ran (CPU) while this task lasted.
    const others = new Map();
    for (const event of otherEvents) {
      if (event.thread === task.thread || event.ts >= end || event.ts + event.dur <= task.ts)
        continue;
      const name = threadNames.get(event.thread) ?? event.thread;
      others.set(name, (others.get(name) ?? 0) + (event.tdur ?? 0) / 1000);
    }
    // The JavaScript that ran: sampled functions (self time) and, for each sample, the web app's
    // own function nearest the top of the stack.
    const self = new Map();
    const app = new Map();
    let sampled = 0;
    for (const profile of profiles.values()) {
      if (profile.thread !== task.thread) continue;
      for (const sample of profile.samples) {
        if (sample.time < task.ts || sample.time >= end) continue;
        let node = profile.nodes.get(sample.id);
        const leaf = node === undefined ? '?' : frameName(node.callFrame);
        if (leaf === '(idle)' || leaf === '(program)') continue;
        sampled += 1;
        self.set(leaf, (self.get(leaf) ?? 0) + 1);
        while (node !== undefined && !frameName(node.callFrame).includes(' src/'))
          node = profile.nodes.get(node.parent);
        const own = node === undefined ? '(not the web app)' : frameName(node.callFrame);
        app.set(own, (app.get(own) ?? 0) + 1);
      }
    }
    const top = (counts) =>
      Object.fromEntries([...counts].sort((left, right) => right[1] - left[1]).slice(0, 8));
    return {
      atMs: Math.round((task.ts - origin) / 1000),
      samples: sampled,
      selfSamples: top(self),
      webAppSamples: top(app),
      wallMs: round(task.dur / 1000),
      cpuMs: round((task.tdur ?? 0) / 1000),
      parts: [...parts.values()]
        .map((part) => ({ ...part, wallMs: round(part.wallMs), cpuMs: round(part.cpuMs) }))
        .filter((part) => part.wallMs >= 0.5)
        .sort((left, right) => right.wallMs - left.wallMs)
        .slice(0, 12),
      otherThreadsCpuMs: Object.fromEntries(
        [...others].filter(([, ms]) => ms >= 1).map(([name, ms]) => [name, round(ms)]),
      ),
    };
  }
}

/** The web app's source map: beside the served build's app.js, else --source-map. */
async function readSourceMap(cli) {
  for (const file of [
    join(dirname(cli), 'web/app.js.map'),
    resolve(repositoryRoot, values['source-map']),
  ]) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text !== null) return new SourceMap(JSON.parse(text));
  }
  return null;
}
let sourceMap = null;

/** A sampled frame's function, where the web app's source map knows it with its source line. */
function frameName({ functionName, url = '', lineNumber, columnNumber }) {
  if (sourceMap !== null && url.endsWith('/app.js')) {
    const origin = sourceMap.findEntry(lineNumber, columnNumber);
    if (origin.originalSource !== undefined) {
      const file = origin.originalSource.replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, '');
      return `${functionName || origin.name || '(anonymous)'} ${file}:${origin.originalLine + 1}`;
    }
  }
  return functionName || `(anonymous ${url.split('/').at(-1)}:${lineNumber})`;
}

/** A trace event's name, with the function or event it ran where the trace says. */
function partName(event) {
  const data = event.args?.data ?? event.args?.beginData;
  if (event.name === 'FunctionCall' && data)
    return `FunctionCall ${data.functionName || '(anonymous)'} ${String(data.url ?? '')
      .split('/')
      .at(-1)}:${data.lineNumber ?? ''}:${data.columnNumber ?? ''}`;
  if (event.name === 'EventDispatch' && data?.type) return `EventDispatch ${data.type}`;
  if (event.name === 'TimerFire' || event.name === 'FireAnimationFrame') return event.name;
  return event.name;
}

if (values.analyse !== undefined) {
  sourceMap = await readSourceMap(clis[0]);
  process.stdout.write(`${JSON.stringify(await longTasksOf(values.analyse), null, 1)}\n`);
  process.exit(0);
}
const folder = join(workFolder, 'dataset');
await copyTaggedDataset(count, folder, {
  progress: (message) => process.stderr.write(`${message}\n`),
});
const vocabulary = await writeSyntheticVocabulary(join(workFolder, 'vocabulary.csv'));
const results = new Map(clis.map((cli) => [cli, []]));
for (let run = 0; run < Number(values.runs); run += 1) {
  for (const cli of clis) {
    const server = await startCivtagServer(folder, {
      cli,
      extraArguments: ['--vocabulary', vocabulary],
    });
    try {
      const url = server.token ? `${server.url}/?token=${server.token}` : `${server.url}/`;
      const load = [loadavg()[0]];
      const serverCpuBefore = await processCpuSeconds(server.pid);
      const traceFile = values.trace
        ? join(workFolder, `trace-${run}-${clis.indexOf(cli)}.json`)
        : null;
      const { firstPaintMs, scroll, heapMb } = await scrollOnce(url, traceFile);
      load.push(loadavg()[0]);
      const line = {
        cli,
        run,
        loadAverage: load.map((value) => value.toFixed(1)),
        // The server's CPU over the page load and the scroll: a busy server takes a core away.
        serverCpuSeconds: round((await processCpuSeconds(server.pid)) - serverCpuBefore),
        firstPaintMs,
        heapMb,
        frames: scroll.frames,
        framesDrawingTiles: scroll.framesDrawingTiles,
        longTasks: scroll.longTasks,
        reachedBottom: scroll.reachedBottom,
      };
      if (traceFile) {
        sourceMap = await readSourceMap(cli);
        line.trace = await longTasksOf(traceFile);
        if (!values['keep-trace']) await rm(traceFile);
      }
      results.get(cli).push(line);
      process.stdout.write(`${JSON.stringify(line)}\n`);
    } finally {
      await server.stop();
    }
  }
}
for (const [cli, lines] of results) {
  process.stdout.write(
    `${JSON.stringify({
      cli,
      runs: lines.length,
      longestTaskMs: lines.map((line) => line.longTasks.maxMs),
      medianLongestMs: median(lines.map((line) => line.longTasks.maxMs)),
      longTasks: lines.map((line) => line.longTasks.count),
    })}\n`,
  );
}
