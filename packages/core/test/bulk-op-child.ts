// Run by background-captions.test.ts in a child process (bundled by esbuild): opens a dataset,
// adds a tag to every image, and kills itself (SIGKILL) once the op is durable and its caption
// files are queued, before any is written: a crash right after the answer has gone out.
import { openDataset } from '../src/index.js';

const [target, tag] = process.argv.slice(2);
if (target === undefined || tag === undefined) {
  process.stderr.write('usage: bulk-op-child <dataset> <tag>\n');
  process.exit(2);
}
const dataset = await openDataset(target);
let durable = false;
dataset.on('captions', (progress) => {
  if (!durable || progress.pending === 0) return;
  process.stdout.write(`queued ${progress.pending}\n`);
  process.kill(process.pid, 'SIGKILL');
});
await dataset.apply(
  { type: 'add', target: { all: true }, tags: [tag] },
  {
    onDurable: () => {
      durable = true;
    },
  },
);
process.stdout.write('finished without dying\n');
