// Run by kill-and-resume.test.ts in a child process (bundled by esbuild): imports a folder
// into a dataset, printing the image count after each image placed, and the final progress as JSON.
// With a third argument N it kills itself (SIGKILL) the moment the dataset holds N images or more:
// an interruption at an exact point, right after the batch with that image is journaled. Before
// dying it prints the images it holds then, as JSON.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createDataset, openDataset } from '../src/index.js';

const [source, target, dieAt] = process.argv.slice(2);
if (source === undefined || target === undefined) {
  process.stderr.write('usage: import-child <source> <dataset> [die-at-image-count]\n');
  process.exit(2);
}
const dataset = existsSync(path.join(target, '.civtag'))
  ? await openDataset(target)
  : await createDataset(target, { prefix: 'kill', triggerWord: 'kill_style' });
// One line per image placed (progress events are throttled; this is exact).
dataset.on('change', (change) => {
  if ((change.added?.length ?? 0) === 0) return;
  process.stdout.write(`progress ${dataset.images().length}\n`);
  if (dieAt !== undefined && dataset.images().length >= Number(dieAt)) {
    process.stdout.write(`images ${JSON.stringify(dataset.images())}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
});
const job = dataset.import(source);
const result = await job.done;
await dataset.close();
process.stdout.write(`result ${JSON.stringify(result)}\n`);
