import { CivtagError, ErrorCode } from '@civtag/api-models';
import { type DecodedBatch, decodeBatch } from './decode-batch.js';
import { TaggerError } from './errors.js';
import { InferenceFailure, type InferenceOutput } from './inference-worker.js';
import type { ImageSource } from './preprocess-image.js';
import {
  createTagSelector,
  type RatingScore,
  type TagProposal,
  type TagSelectionOptions,
} from './select-tags.js';
import type { TaggerModel } from './tagger-model.js';

/** The outcome for one input: its proposals and rating, or why it could not be tagged. */
export type TagImageResult<Item> =
  | { ok: true; input: Item; proposals: TagProposal[]; rating: RatingScore | undefined }
  | { ok: false; input: Item; error: CivtagError };

/** How far a run is. */
export interface TagProgress {
  /** Inputs finished, tagged or failed. */
  done: number;
  /** Of those, the ones that failed. */
  failed: number;
  /** All inputs, when the input is an array; otherwise `undefined`. */
  total: number | undefined;
}

/** Options of `tagger.tag()`: the selection of proposals, plus how the run goes. */
export interface TagImagesOptions<Item> extends TagSelectionOptions {
  /** The image of an input. Default: the input itself, a path or the bytes of an image file. */
  source?: (input: Item) => ImageSource;
  /** Images per inference. Default 4; a model with a fixed batch size uses that. */
  batchSize?: number;
  /**
   * Batches held at once: one in inference, the others being decoded. Default 2, which keeps
   * decoding of the next batch beside inference of this one; memory stays at this many
   * batches of `inputSize² · 3` floats per image (2.4 MB at 448).
   */
  batchesInFlight?: number;
  /** Called after each batch. */
  onProgress?: (progress: TagProgress) => void;
  /**
   * Cancels the run: no input is read after it, and the iterator rejects with `CANCELLED` once
   * the batch in inference (onnxruntime cannot stop one midway) and the decodes in flight have
   * finished. Results of that batch are not yielded.
   */
  signal?: AbortSignal;
}

/** The default of {@link TagImagesOptions.batchSize}. */
export const DEFAULT_BATCH_SIZE = 4;
/** The default of {@link TagImagesOptions.batchesInFlight}. */
export const DEFAULT_BATCHES_IN_FLIGHT = 2;

/**
 * Runs `model` over `inputs` (see `Tagger.tag`): decodes a batch with sharp while the batch
 * before it is in onnxruntime, with at most `batchesInFlight` batches in memory, and yields one
 * result per input in input order. An image that cannot be read becomes a failed result and
 * the run goes on.
 *
 * @throws {CivtagError} `VALIDATION` for bad options (before any input is read), `CANCELLED`
 *   when the signal aborts; {@link TaggerError} `VALIDATION` when the model's output does not
 *   hold one score per label.
 */
export async function* tagImages<Item>(
  model: TaggerModel,
  inputs: Iterable<Item> | AsyncIterable<Item>,
  options: TagImagesOptions<Item>,
): AsyncGenerator<TagImageResult<Item>, void, undefined> {
  const selector = createTagSelector(model.labels, options);
  const batchSize =
    model.fixedBatchSize ?? positiveInteger('batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE);
  const inFlight = positiveInteger(
    'batchesInFlight',
    options.batchesInFlight ?? DEFAULT_BATCHES_IN_FLIGHT,
  );
  const source = options.source ?? ((input: Item) => input as ImageSource);
  const { signal } = options;
  const valuesPerImage = model.inputSize * model.inputSize * 3;
  const progress: TagProgress = {
    done: 0,
    failed: 0,
    total: Array.isArray(inputs) ? inputs.length : undefined,
  };
  const iterator: Iterator<Item> | AsyncIterator<Item> =
    Symbol.asyncIterator in inputs ? inputs[Symbol.asyncIterator]() : inputs[Symbol.iterator]();
  const spare: Float32Array[] = [];
  let position = 0;
  let exhausted = false;
  let reading: Promise<unknown> = Promise.resolve();

  const read = async (): Promise<Item[]> => {
    const items: Item[] = [];
    while (!exhausted && items.length < batchSize && !signal?.aborted) {
      const next = await iterator.next();
      if (next.done) exhausted = true;
      else items.push(next.value);
    }
    return items;
  };

  const prepare = async (): Promise<DecodedBatch<Item> | undefined> => {
    // Inputs are read one batch after another, whatever order the decodes finish in.
    const taken = reading.then(read);
    reading = taken.catch(() => undefined);
    const items = await taken;
    if (items.length === 0) return undefined;
    const first = position;
    position += items.length;
    const data = spare.pop() ?? new Float32Array(batchSize * valuesPerImage);
    return decodeBatch(items, { first, data, inputSize: model.inputSize, source });
  };

  const infer = async (batch: DecodedBatch<Item>): Promise<Float32Array> => {
    const rows = model.fixedBatchSize ?? batch.decoded;
    const dims = [rows, model.inputSize, model.inputSize, 3];
    const request = { inputName: model.inputName, outputName: model.outputName, dims };
    let output: InferenceOutput;
    try {
      output = await model.worker.run(
        request,
        batch.data.buffer as ArrayBuffer,
        rows * valuesPerImage,
      );
    } catch (error) {
      if (error instanceof InferenceFailure) {
        if (error.buffer !== undefined) spare.push(new Float32Array(error.buffer));
        throw new TaggerError(
          'VALIDATION',
          `onnxruntime could not run ${model.modelPath} on ${rows} images: ${error.message}. Use the model.onnx of a WD v2/v3 tagger.`,
          { cause: error, details: { path: model.modelPath } },
        );
      }
      throw error;
    }
    // The batch's memory went to the inference thread and came back: reuse it.
    spare.push(new Float32Array(output.buffer));
    const expected = rows * model.labels.length;
    if (output.scores.length !== expected) {
      throw new TaggerError(
        'VALIDATION',
        `${model.modelPath} gave ${output.scores.length} scores for ${rows} images, but ${model.tagsPath} lists ${model.labels.length} tags per image: they are not from the same tagger. Use the selected_tags.csv that came with this model.onnx.`,
        {
          details: { path: model.tagsPath, modelPath: model.modelPath, rows: model.labels.length },
        },
      );
    }
    return output.scores;
  };

  const pending: Promise<DecodedBatch<Item> | undefined>[] = [];
  const startPreparing = (): void => {
    const batch = prepare();
    // Awaited in turn below; until then its failure (the input threw) must not count as unhandled.
    batch.catch(() => undefined);
    pending.push(batch);
  };
  try {
    while (true) {
      throwIfCancelled(signal);
      if (pending.length === 0) startPreparing();
      const batch = await (pending.shift() as Promise<DecodedBatch<Item> | undefined>);
      if (batch === undefined) break;
      // The next batches decode while this one is in inference.
      while (!exhausted && pending.length < inFlight - 1) startPreparing();
      let scores: Float32Array | undefined;
      if (batch.decoded > 0) scores = await infer(batch);
      else spare.push(batch.data);
      throwIfCancelled(signal);
      const results = batch.items.map((input, index): TagImageResult<Item> => {
        const row = batch.rows[index] as CivtagError | number;
        if (typeof row !== 'number' || scores === undefined) {
          return { ok: false, input, error: row as CivtagError };
        }
        const { proposals, rating } = selector.select(scores, row * model.labels.length);
        return { ok: true, input, proposals, rating };
      });
      progress.done += results.length;
      progress.failed += results.filter((result) => !result.ok).length;
      options.onProgress?.({ ...progress });
      for (const result of results) {
        yield result;
        throwIfCancelled(signal);
      }
    }
    throwIfCancelled(signal);
  } finally {
    // Nothing may still decode, or read the input, once the caller has the run's end.
    await Promise.allSettled(pending);
    await reading;
    if (!exhausted) await closeIterator(iterator);
  }
}

async function closeIterator<Item>(iterator: Iterator<Item> | AsyncIterator<Item>): Promise<void> {
  try {
    await iterator.return?.();
  } catch {
    // The input's own clean-up failing must not hide why the run ended.
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw new CivtagError(ErrorCode.CANCELLED, 'Tagging was cancelled.', { cause: signal.reason });
}

function positiveInteger(name: string, value: number): number {
  if (Number.isInteger(value) && value > 0) return value;
  throw new CivtagError(ErrorCode.VALIDATION, `${name} must be a positive integer, not ${value}.`, {
    details: { field: name, value },
  });
}
