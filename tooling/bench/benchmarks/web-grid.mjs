// The web app on a large dataset in headless Chromium: first grid paint and the longest task
// while scrolling, measured by the web app's own script (apps/web/bench/grid-bench.mjs) against a
// civtag server serving a tagged dataset.
import { join } from 'node:path';
import { repositoryRoot, requireFile } from '../lib/civtag-packages.mjs';
import { startCivtagServer } from '../lib/civtag-server.mjs';
import { runJsonProcess } from '../lib/json-process.mjs';
import { compareRow, describeFailure } from '../lib/rows.mjs';
import { copyTaggedDataset } from '../lib/tagged-dataset.mjs';

export const id = 'web-grid';
export const title = 'The web app: first grid paint and scrolling (headless Chromium)';

const RUNS = 3;

/** The first numeric field whose name matches `pattern`, searched one level deep. */
function findFigure(result, pattern) {
  for (const [key, value] of Object.entries(result)) {
    if (pattern.test(key) && typeof value === 'number') return value;
  }
  for (const value of Object.values(result)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const nested = findFigure(value, pattern);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}

export async function run({ profile, progress, workFolder }) {
  const count = profile.gridImages;
  const results = [];
  const notes = [];
  let reason = null;
  let server = null;
  try {
    const script = await requireFile('apps/web/bench/grid-bench.mjs', 'the web app grid benchmark');
    const { folder } = await copyTaggedDataset(count, join(workFolder, 'dataset'), { progress });
    server = await startCivtagServer(folder);
    const token = server.headers.authorization?.slice('Bearer '.length);
    const args = ['--url', server.url, ...(token ? ['--token', token] : [])];
    for (let runIndex = 0; runIndex < RUNS; runIndex++) {
      const result = await runJsonProcess(script, args, {
        cwd: repositoryRoot,
        timeoutMs: 180_000,
      });
      results.push(result);
      progress(`run ${runIndex + 1}/${RUNS}: ${JSON.stringify(result).slice(0, 200)}`);
    }
    notes.push(
      `Last run as printed by grid-bench.mjs: \`${JSON.stringify(results.at(-1)).slice(0, 600)}\``,
    );
  } catch (error) {
    reason = describeFailure(error);
  } finally {
    await server?.stop();
  }
  const firstPaint = results
    .map((result) => findFigure(result, /first.*paint|paint.*ms/i))
    .filter(Number.isFinite);
  const longest = results
    .map((result) => findFigure(result, /(max|longest).*long.*task|long.*task.*(max|longest)/i))
    .filter(Number.isFinite);
  const size = count.toLocaleString('en-US');
  const stated = count === 100_000 ? '' : ' (stated for 100k)';
  const rows = [
    compareRow({
      what: `First grid paint, ${size} images, ms`,
      unit: 'ms',
      civtag: firstPaint,
      target: { text: `< 1,500 ms${stated}`, check: (median) => median < 1500 },
    }),
    compareRow({
      what: `Longest task while scrolling, ${size} images, ms`,
      unit: 'ms',
      civtag: longest,
      target: { text: `no task > 100 ms${stated}`, check: (median) => median <= 100 },
    }),
  ];
  for (const row of rows) {
    if (!row.civtag)
      row.civtagNote =
        reason ?? (results.length ? 'grid-bench.mjs printed no such figure' : 'no successful run');
  }
  return { rows, notes };
}
