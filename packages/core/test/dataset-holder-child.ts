// Run by read-only-view.test.ts in a child process (bundled by esbuild): holds a dataset open,
// as `civtag serve` does. Prints `open <revision>`, then applies each line of stdin (a tag op
// as JSON) and prints `applied <revision>` once its captions are written. Holds the dataset
// until killed.
import { createInterface } from 'node:readline';
import { openDataset } from '../src/index.js';

const [target] = process.argv.slice(2);
if (target === undefined) {
  process.stderr.write('usage: dataset-holder-child <dataset>\n');
  process.exit(2);
}
const dataset = await openDataset(target);
process.stdout.write(`open ${dataset.revision}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const change = await dataset.apply(JSON.parse(line));
  process.stdout.write(`applied ${change.revision}\n`);
}
