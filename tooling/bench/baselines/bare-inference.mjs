// The floor of auto-tagging: onnxruntime's own `InferenceSession.run` on input tensors made
// before the clock starts, with the session options @civtag/autotag's loadTagger uses, on the
// main thread, one batch after another. No decoding, no worker, no selection of tags.
// onnxruntime-node is the copy @civtag/autotag resolves (it is that package's dependency alone).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import sharp from 'sharp';

const WHITE = { r: 255, g: 255, b: 255 };

/** The onnxruntime-node module that @civtag/autotag loads on its inference thread. */
export function loadOnnxruntime() {
  return createRequire(import.meta.resolve('@civtag/autotag'))('onnxruntime-node');
}

/**
 * A session on `modelPath` with the options of `loadTagger(folder)` (no `threads`): CPU, all
 * graph optimisations, one inter-op thread, onnxruntime's default intra-op threads.
 */
export function createBareSession(onnxruntime, modelPath) {
  return onnxruntime.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    interOpNumThreads: 1,
    logSeverityLevel: 3,
  });
}

/**
 * Writes the image at `path` into `data` at `offset` as @civtag/autotag prepares it for a WD14
 * tagger: upright, on white, padded to a white square, resized (cubic) to `size`, BGR float32
 * 0–255, channels last.
 */
export async function preprocessLikeTagger(path, size, data, offset) {
  const pixels = await sharp(path, { failOn: 'error', pages: 1 })
    .rotate()
    .flatten({ background: WHITE })
    .resize(size, size, { fit: 'contain', background: WHITE, kernel: 'cubic' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer();
  for (let read = 0, write = offset; read < pixels.length; read += 3, write += 3) {
    data[write] = pixels[read + 2];
    data[write + 1] = pixels[read + 1];
    data[write + 2] = pixels[read];
  }
}

/**
 * Decodes `names` of `folder` into batches of `batchSize` images, each one Float32Array as the
 * tagger hands it to onnxruntime, a batch's images decoded at once. Resolves the batches and the
 * seconds it took (decoding alone).
 */
export async function decodeBatches(folder, names, { size, batchSize }) {
  const started = performance.now();
  const valuesPerImage = size * size * 3;
  const batches = [];
  for (let first = 0; first < names.length; first += batchSize) {
    const slice = names.slice(first, first + batchSize);
    const data = new Float32Array(slice.length * valuesPerImage);
    await Promise.all(
      slice.map((name, slot) =>
        preprocessLikeTagger(join(folder, name), size, data, slot * valuesPerImage),
      ),
    );
    batches.push({ data, images: slice.length });
  }
  return { batches, seconds: (performance.now() - started) / 1000 };
}

/** Runs `session` over the pre-made `batches` one after another; resolves the seconds. */
export async function runBareSession(onnxruntime, session, batches, size) {
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  const tensors = batches.map(
    ({ data, images }) => new onnxruntime.Tensor('float32', data, [images, size, size, 3]),
  );
  const started = performance.now();
  for (const tensor of tensors) await session.run({ [inputName]: tensor }, [outputName]);
  return (performance.now() - started) / 1000;
}
