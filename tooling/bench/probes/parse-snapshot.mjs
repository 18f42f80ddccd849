// The floor of opening a dataset: read its snapshot file and JSON.parse it, in a fresh process;
// reports the time and the memory the process holds with the parsed object, as one JSON line.
// Run with --expose-gc.
import { readFile } from 'node:fs/promises';

const file = process.argv[2];
globalThis.gc?.();
const before = process.memoryUsage().rss;
const started = performance.now();
const state = JSON.parse(await readFile(file, 'utf8'));
const openMs = performance.now() - started;
globalThis.gc?.();
const memory = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({ openMs, rssMB: memory.rss / 2 ** 20, heapMB: memory.heapUsed / 2 ** 20, baseRssMB: before / 2 ** 20, keys: Object.keys(state).length })}\n`,
);
