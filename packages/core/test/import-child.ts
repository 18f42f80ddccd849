// Run by kill-and-resume.test.ts in a child process (bundled by esbuild): imports a folder
// into a dataset, printing the image count after each image placed, and the final progress as JSON.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createDataset, openDataset } from '../src/index.js';

const [source, target] = process.argv.slice(2);
if (source === undefined || target === undefined) {
  process.stderr.write('usage: import-child <source> <dataset>\n');
  process.exit(2);
}
const dataset = existsSync(path.join(target, '.civtag'))
  ? await openDataset(target)
  : await createDataset(target, { prefix: 'kill', triggerWord: 'kill_style' });
// One line per image placed (progress events are throttled; this is exact).
dataset.on('change', (change) => {
  if ((change.added?.length ?? 0) > 0)
    process.stdout.write(`progress ${dataset.images().length}\n`);
});
const job = dataset.import(source);
const result = await job.done;
await dataset.close();
process.stdout.write(`result ${JSON.stringify(result)}\n`);
