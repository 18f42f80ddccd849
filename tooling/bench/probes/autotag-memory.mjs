// The peak resident memory (VmHWM) of a fresh process that auto-tags a folder of images, as one
// JSON line: `pipeline` loads the tagger with @civtag/autotag and tags every image (batch 4, two
// batches in flight, its defaults); `bare` creates the same onnxruntime session on the main
// thread and runs it as many times on one pre-made batch (the model and one batch, nothing else).
// Usage: node autotag-memory.mjs pipeline|bare <tagger folder> <image folder> <input size> [count]
// (`count`: the first that many images of the folder, by name; all of them without it)
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createBareSession,
  decodeBatches,
  loadOnnxruntime,
  runBareSession,
} from '../baselines/bare-inference.mjs';
import { processMemory } from '../lib/process-memory.mjs';

const BATCH_SIZE = 4;
const [mode, taggerFolder, imageFolder, sizeText, countText] = process.argv.slice(2);
const size = Number(sizeText);
const names = (await readdir(imageFolder))
  .sort()
  .slice(0, countText === undefined ? undefined : Number(countText));
const started = performance.now();
let images = 0;

if (mode === 'pipeline') {
  const { loadTagger } = await import('@civtag/autotag');
  const tagger = await loadTagger(taggerFolder);
  try {
    const paths = names.map((name) => join(imageFolder, name));
    for await (const result of tagger.tag(paths, { batchSize: BATCH_SIZE })) {
      if (!result.ok) throw new Error(`${result.input}: ${result.error.message}`);
      images += 1;
    }
  } finally {
    await tagger.close();
  }
} else if (mode === 'bare') {
  const onnxruntime = loadOnnxruntime();
  const session = await createBareSession(onnxruntime, join(taggerFolder, 'model.onnx'));
  const { batches } = await decodeBatches(imageFolder, names.slice(0, BATCH_SIZE), {
    size,
    batchSize: BATCH_SIZE,
  });
  const repeated = Array.from({ length: Math.ceil(names.length / BATCH_SIZE) }, () => batches[0]);
  await runBareSession(onnxruntime, session, repeated, size);
  images = repeated.length * BATCH_SIZE;
  await session.release();
} else {
  throw new Error(`mode must be pipeline or bare, not ${mode}`);
}
const { residentMB, peakResidentMB } = await processMemory(process.pid);
process.stdout.write(
  `${JSON.stringify({ mode, images, seconds: (performance.now() - started) / 1000, residentMB, peakResidentMB })}\n`,
);
