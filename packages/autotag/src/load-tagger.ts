import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { describeError, TaggerError } from './errors.js';
import { InferenceWorker } from './inference-worker.js';
import { parseSelectedTagsCsv } from './selected-tags-csv.js';
import { type Tagger, TaggerRunner } from './tagger.js';
import type { TaggerModel } from './tagger-model.js';

/** The files of a WD14-layout tagger folder. */
export const MODEL_FILE = 'model.onnx';
export const TAGS_FILE = 'selected_tags.csv';

/** Options of {@link loadTagger}. */
export interface LoadTaggerOptions {
  /**
   * Threads onnxruntime uses for one batch. Default: onnxruntime's choice (one per physical
   * core). Image decoding runs beside it on libuv's thread pool.
   */
  threads?: number;
}

/** What to do when a file of the folder is missing. */
function whereToGet(folder: string): string {
  return `Download model.onnx and selected_tags.csv of a WD v2/v3 tagger (e.g. SmilingWolf/wd-vit-tagger-v3) into ${folder}: a WD14-layout tagger folder holds both`;
}

/**
 * Loads a tagger folder in the layout of the WD v2/v3 taggers: `model.onnx` (one float32 input
 * `[N, H, W, 3]`, one output of a score per tag) and `selected_tags.csv`
 * (`tag_id,name,category,count`, one row per output). The model runs on the CPU with
 * onnxruntime-node, on a worker thread of its own (onnxruntime runs a batch synchronously:
 * on the main thread it would stall every socket and timer meanwhile); onnxruntime-node is
 * loaded there, on first use.
 *
 * @throws {TaggerError} `NOT_FOUND` when the folder, `model.onnx` or `selected_tags.csv` is
 *   missing; `IO_ERROR` when one cannot be read; `VALIDATION` when `model.onnx` is not an ONNX
 *   model (or a Git LFS pointer to one), its input is not `[N, H, W, 3]` float32 with H = W,
 *   a row of `selected_tags.csv` is malformed, or the CSV has not one row per model output.
 * @example
 * const tagger = await loadTagger('/models/wd-vit-tagger-v3');
 * for await (const result of tagger.tag(['/photos/a.png', '/photos/b.jpg'])) {
 *   if (result.ok) console.log(result.input, result.proposals.map((p) => p.tag));
 *   else console.error(result.error.message);
 * }
 * await tagger.close();
 */
export async function loadTagger(folder: string, options: LoadTaggerOptions = {}): Promise<Tagger> {
  const directory = path.resolve(folder);
  await assertFolder(directory);
  const modelPath = path.join(directory, MODEL_FILE);
  const tagsPath = path.join(directory, TAGS_FILE);
  await assertModelFile(modelPath);
  const labels = parseSelectedTagsCsv(await readTagsFile(tagsPath), tagsPath);

  let worker: InferenceWorker;
  try {
    worker = await InferenceWorker.start(modelPath, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      interOpNumThreads: 1,
      // Errors only: the WD models load with warnings (unused initializers) that would clutter a
      // progress bar; a failed run is reported as a TaggerError as well.
      logSeverityLevel: 3,
      ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads }),
    });
  } catch (error) {
    if (CivtagError.isInstance(error)) throw error;
    throw new TaggerError(
      'VALIDATION',
      `${modelPath} is not an ONNX model onnxruntime can load (${describeError(error)}). Download model.onnx again from the tagger's repository.`,
      { cause: error, details: { path: modelPath } },
    );
  }
  try {
    return new TaggerRunner(describeModel(worker, { modelPath, tagsPath, labels }));
  } catch (error) {
    await worker.release();
    throw error;
  }
}

function describeModel(
  worker: InferenceWorker,
  parts: Pick<TaggerModel, 'modelPath' | 'tagsPath' | 'labels'>,
): TaggerModel {
  const { modelPath, tagsPath, labels } = parts;
  const input = worker.inputs[0];
  const output = worker.outputs[0];
  const shapeText = (shape: ReadonlyArray<number | string>) => `[${shape.join(', ')}]`;
  if (worker.inputs.length !== 1 || input === undefined || !input.isTensor) {
    throw new TaggerError(
      'VALIDATION',
      `${modelPath} has ${worker.inputs.length} inputs; a WD14-layout tagger has one image tensor [N, H, W, 3]. Use the model.onnx of a WD v2/v3 tagger.`,
      { details: { path: modelPath, inputs: worker.inputs.map((entry) => entry.name) } },
    );
  }
  const [batch, height, width, channels] = input.shape;
  const nhwc =
    input.shape.length === 4 &&
    channels === 3 &&
    typeof height === 'number' &&
    height > 0 &&
    height === width;
  if (!nhwc || input.type !== 'float32') {
    const channelsFirst = input.shape.length === 4 && input.shape[1] === 3;
    throw new TaggerError(
      'VALIDATION',
      `${modelPath} takes ${input.type} ${shapeText(input.shape)}, but civtag runs taggers whose input is float32 [N, H, W, 3] with H = W (the WD14 layout: a batch of square BGR images, channels last)${
        channelsFirst ? '; this model wants channels first (NCHW), which WD14 taggers do not' : ''
      }. Use the model.onnx of a WD v2/v3 tagger, or export the model with an NHWC input.`,
      { details: { path: modelPath, inputShape: [...input.shape], inputType: input.type } },
    );
  }
  if (output === undefined || !output.isTensor || output.type !== 'float32') {
    throw new TaggerError(
      'VALIDATION',
      `${modelPath} has no float32 output of tag scores. Use the model.onnx of a WD v2/v3 tagger.`,
      { details: { path: modelPath } },
    );
  }
  const outputs = output.shape.at(-1);
  if (typeof outputs === 'number' && outputs !== labels.length) {
    throw new TaggerError(
      'VALIDATION',
      `${tagsPath} lists ${labels.length} tags, but ${modelPath} scores ${outputs}: they are not from the same tagger. Use the selected_tags.csv that came with this model.onnx.`,
      { details: { path: tagsPath, modelPath, rows: labels.length, outputs } },
    );
  }
  return {
    ...parts,
    worker,
    inputName: input.name,
    outputName: output.name,
    inputSize: height,
    fixedBatchSize: typeof batch === 'number' && batch > 0 ? batch : undefined,
  };
}

async function assertFolder(directory: string): Promise<void> {
  try {
    if ((await stat(directory)).isDirectory()) return;
  } catch (error) {
    throw new TaggerError(
      'NOT_FOUND',
      `The tagger folder ${directory} does not exist. ${whereToGet(directory)}.`,
      {
        cause: error,
        details: { path: directory },
      },
    );
  }
  throw new TaggerError(
    'NOT_FOUND',
    `${directory} is a file, not a tagger folder. ${whereToGet(directory)}.`,
    {
      details: { path: directory },
    },
  );
}

/** Catches what onnxruntime's "protobuf parsing failed" would not explain: a missing or LFS file. */
async function assertModelFile(modelPath: string): Promise<void> {
  let head: Buffer;
  try {
    const handle = await open(modelPath, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw readError(error, modelPath);
  }
  if (head.length === 0) {
    throw new TaggerError(
      'VALIDATION',
      `${modelPath} is empty, not an ONNX model. Download model.onnx again.`,
      {
        details: { path: modelPath },
      },
    );
  }
  if (head.toString('latin1').startsWith('version https://git-lfs')) {
    throw new TaggerError(
      'VALIDATION',
      `${modelPath} is a Git LFS pointer, not the model itself. Run "git lfs pull" in ${path.dirname(modelPath)}, or download model.onnx directly.`,
      { details: { path: modelPath } },
    );
  }
}

async function readTagsFile(tagsPath: string): Promise<string> {
  try {
    return await readFile(tagsPath, 'utf8');
  } catch (error) {
    throw readError(error, tagsPath);
  }
}

function readError(error: unknown, file: string): TaggerError {
  const missing = (error as { code?: unknown }).code === 'ENOENT';
  return missing
    ? new TaggerError('NOT_FOUND', `${file} does not exist. ${whereToGet(path.dirname(file))}.`, {
        cause: error,
        details: { path: file },
      })
    : new TaggerError('IO_ERROR', `Could not read ${file}: ${describeError(error)}.`, {
        cause: error,
        details: { path: file },
      });
}
