// Builds (or finds in the cache) the inputs the selected benchmarks need, before any of them is
// timed: the realistic images of the import, hash and auto-tag benchmarks, and the tagged
// datasets of the state benchmarks. A cold 100k-image dataset takes minutes; run.mjs keeps that
// time out of the benchmarks' shares of the profile's budget. A failure here is reported and the
// benchmarks go on: each prepares what it needs again and says why when it cannot.
// Usage (by run.mjs only): node prepare-inputs.mjs <profile JSON> <benchmark id,…>
import { prepareImageSet } from './image-set.mjs';
import { describeFailure } from './rows.mjs';
import { prepareTaggedDataset } from './tagged-dataset.mjs';

/** The profile field that gives each image-set benchmark its number of images. */
const IMAGE_SET_SIZES = {
  import: 'importImages',
  'hash-file': 'importImages',
  autotag: 'autotagImages',
};
/** The profile field that gives each dataset benchmark its dataset's size. */
const DATASET_SIZES = {
  'edit-latency': 'sessionImages',
  postgres: 'sessionImages',
  'session-open': 'sessionImages',
  'bulk-op': 'bulkImages',
  'web-grid': 'gridImages',
};

const profile = JSON.parse(process.argv[2]);
const selected = process.argv[3].split(',');
const progress = (message) => process.stderr.write(`  [prepare] ${message}\n`);
let failed = false;

const imageCounts = new Set(
  selected.filter((id) => id in IMAGE_SET_SIZES).map((id) => profile[IMAGE_SET_SIZES[id]]),
);
for (const count of [...imageCounts].sort((left, right) => left - right)) {
  try {
    await prepareImageSet(count, { progress });
  } catch (error) {
    failed = true;
    progress(`the ${count} realistic images: ${describeFailure(error)}`);
  }
}
const sizes = new Set(
  selected.filter((id) => id in DATASET_SIZES).map((id) => profile[DATASET_SIZES[id]]),
);
for (const count of [...sizes].sort((left, right) => left - right)) {
  try {
    await prepareTaggedDataset(count, { progress });
  } catch (error) {
    failed = true;
    progress(`the ${count}-image tagged dataset: ${describeFailure(error)}`);
  }
}
process.exit(failed ? 1 : 0);
