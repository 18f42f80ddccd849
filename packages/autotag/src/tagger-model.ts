import type { InferenceWorker } from './inference-worker.js';
import type { TaggerLabel } from './selected-tags-csv.js';

/** A loaded tagger as the pipeline needs it (internal). */
export interface TaggerModel {
  readonly modelPath: string;
  readonly tagsPath: string;
  /** The onnxruntime session, on its own thread. */
  readonly worker: InferenceWorker;
  readonly inputName: string;
  readonly outputName: string;
  /** The model's image side (`H` = `W` of its `[N, H, W, 3]` input). */
  readonly inputSize: number;
  /** The batch size when the model fixes it (`[1, H, W, 3]`), else `undefined`. */
  readonly fixedBatchSize: number | undefined;
  readonly labels: readonly TaggerLabel[];
}
