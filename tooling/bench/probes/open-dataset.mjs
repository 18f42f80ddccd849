// Opens a civtag dataset in a fresh process and reports how long `openDataset` took and how much
// memory the process holds with it open, as one JSON line. Run with --expose-gc.
import { openDataset } from '@civtag/core';

const folder = process.argv[2];
globalThis.gc?.();
const before = process.memoryUsage().rss;
const started = performance.now();
const dataset = await openDataset(folder);
const openMs = performance.now() - started;
globalThis.gc?.();
const memory = process.memoryUsage();
const images = dataset.images().length;
await dataset.close();
process.stdout.write(
  `${JSON.stringify({ openMs, rssMB: memory.rss / 2 ** 20, heapMB: memory.heapUsed / 2 ** 20, baseRssMB: before / 2 ** 20, images })}\n`,
);
