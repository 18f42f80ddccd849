// Runs one benchmark module in its own process, so that a crash, a hang or a leak in one
// benchmark cannot spoil the others, and resident memory is measured per process.
// Usage (by run.mjs only): node benchmark-child.mjs <module path> <profile JSON> <work folder>
import { mkdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { describeFailure } from './rows.mjs';

const [modulePath, profileJson, workFolder] = process.argv.slice(2);
const started = performance.now();

function send(message) {
  return new Promise((resolve) => process.send(message, () => resolve()));
}

let section;
try {
  await mkdir(workFolder, { recursive: true });
  const benchmark = await import(pathToFileURL(modulePath).href);
  const progress = (message) => process.stderr.write(`  [${benchmark.id}] ${message}\n`);
  section = {
    id: benchmark.id,
    title: benchmark.title,
    ...(await benchmark.run({ profile: JSON.parse(profileJson), progress, workFolder })),
  };
} catch (error) {
  section = { failure: describeFailure(error), rows: [], stack: error?.stack };
}
section.seconds = (performance.now() - started) / 1000;
await send({ section });
// Servers and sockets a benchmark forgot must not keep this process alive.
process.exit(0);
