// Run by auto-tag-kill.test.ts in a child process (bundled by esbuild, the tagger from its
// build): auto-tags a dataset in propose mode, printing how many images are scored after each
// journaled batch, and the final progress as JSON. With a third argument N it kills itself
// (SIGKILL) the moment N images or more are scored: right after the batch is journaled.
import { loadTagger } from '@civtag/autotag';
import { openDataset } from '../src/index.js';

const [target, taggerFolder, dieAt] = process.argv.slice(2);
if (target === undefined || taggerFolder === undefined) {
  process.stderr.write('usage: auto-tag-child <dataset> <tagger folder> [die-at-scored]\n');
  process.exit(2);
}
const tagger = await loadTagger(taggerFolder, { threads: 1 });
const dataset = await openDataset(target);
await dataset.reconciled();
dataset.on('tagging', (progress) => {
  process.stdout.write(`scored ${progress.scored}\n`);
  if (dieAt !== undefined && progress.scored >= Number(dieAt)) process.kill(process.pid, 'SIGKILL');
});
const result = await dataset.autoTag(tagger).done;
await dataset.close();
await tagger.close();
process.stdout.write(`result ${JSON.stringify(result)}\n`);
