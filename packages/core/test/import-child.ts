// Run by kill-and-resume.test.ts in a child process (bundled by esbuild): imports a folder
// into a dataset, printing one line per progress event, and the final progress as JSON.
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
const job = dataset.import(source);
job.on('progress', (progress) => {
  process.stdout.write(`progress ${progress.done}\n`);
});
const result = await job.done;
await dataset.close();
process.stdout.write(`result ${JSON.stringify(result)}\n`);
