import type { ImageSource } from './preprocess-image.js';
import type { TaggerLabel } from './selected-tags-csv.js';
import { type TagImageResult, type TagImagesOptions, tagImages } from './tag-images.js';
import type { TaggerModel } from './tagger-model.js';

/** A loaded tagger (see `loadTagger`). */
export interface Tagger {
  /** The `model.onnx` it runs. */
  readonly modelPath: string;
  /** The `selected_tags.csv` it reads its labels from. */
  readonly tagsPath: string;
  /** The side of the square the model takes (448 for the WD v2/v3 taggers). */
  readonly inputSize: number;
  /** One label per model output, in output order. */
  readonly labels: readonly TaggerLabel[];
  /**
   * Tags images: yields one result per input, in input order, as batches finish. Any items can
   * be tagged: `options.source(item)` says where each one's image is. See
   * {@link TagImagesOptions} for batching, thresholds, progress and cancelling.
   */
  tag<Item>(
    inputs: Iterable<Item> | AsyncIterable<Item>,
    options: TagImagesOptions<Item> & { source: (input: Item) => ImageSource },
  ): AsyncGenerator<TagImageResult<Item>, void, undefined>;
  /** Tags images given as file paths or the bytes of image files. */
  tag(
    inputs: Iterable<ImageSource> | AsyncIterable<ImageSource>,
    options?: TagImagesOptions<ImageSource>,
  ): AsyncGenerator<TagImageResult<ImageSource>, void, undefined>;
  /** Frees the model. Runs still going fail; call it once they are done. */
  close(): Promise<void>;
}

/** The {@link Tagger} `loadTagger` returns. */
export class TaggerRunner implements Tagger {
  readonly modelPath: string;
  readonly tagsPath: string;
  readonly inputSize: number;
  readonly labels: readonly TaggerLabel[];
  readonly #model: TaggerModel;

  constructor(model: TaggerModel) {
    this.#model = model;
    this.modelPath = model.modelPath;
    this.tagsPath = model.tagsPath;
    this.inputSize = model.inputSize;
    this.labels = model.labels;
  }

  tag<Item>(
    inputs: Iterable<Item> | AsyncIterable<Item>,
    options: TagImagesOptions<Item> = {},
  ): AsyncGenerator<TagImageResult<Item>, void, undefined> {
    return tagImages(this.#model, inputs, options);
  }

  close(): Promise<void> {
    return this.#model.worker.release();
  }
}
