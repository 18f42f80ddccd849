import { type CheckReport, CivtagError, ErrorCode } from '@civtag/api-models';
import { checkDataset } from './check-dataset.js';
import { DatasetReader } from './dataset-reader.js';
import type { DatasetState } from './state-schema.js';

/**
 * A dataset read at one moment, without its lock: what `openDatasetReadOnly` returns. It reads
 * (images, settings, tag counts, `check()`, `export()`) and writes nothing in the dataset
 * folder, so it works while another process (`civtag serve`) has the dataset open. It does not
 * follow later changes; open it again for a newer view. The methods that change a dataset throw
 * `CONFLICT`: use `openDataset` for those.
 */
export class DatasetView extends DatasetReader {
  readonly #state: DatasetState;

  /** @internal use `openDatasetReadOnly`. */
  constructor(dir: string, state: DatasetState) {
    super(dir);
    this.#state = state;
  }

  /** @internal */
  protected get readState(): DatasetState {
    return this.#state;
  }

  /**
   * What a user should fix before training: see `CheckReport`. Caption files that lag behind
   * the view (the process holding the dataset has not written them yet) are reported as
   * `CAPTION_OUT_OF_DATE`.
   */
  check(): Promise<CheckReport> {
    return checkDataset(this.dir, this.#state);
  }

  /**
   * Refused: a read-only view makes no changes.
   * @throws CivtagError `CONFLICT`, always.
   */
  apply(_op: unknown, _meta?: unknown): Promise<never> {
    return Promise.reject(this.#readOnlyError('apply an op'));
  }

  /**
   * Refused: a read-only view makes no changes.
   * @throws CivtagError `CONFLICT`, always.
   */
  undo(_meta?: unknown): Promise<never> {
    return Promise.reject(this.#readOnlyError('undo'));
  }

  /**
   * Refused: a read-only view makes no changes.
   * @throws CivtagError `CONFLICT`, always.
   */
  redo(_meta?: unknown): Promise<never> {
    return Promise.reject(this.#readOnlyError('redo'));
  }

  /**
   * Refused: a read-only view makes no changes.
   * @throws CivtagError `CONFLICT`, always.
   */
  repair(): Promise<never> {
    return Promise.reject(this.#readOnlyError('repair'));
  }

  /**
   * Refused: a read-only view makes no changes.
   * @throws CivtagError `CONFLICT`, always.
   */
  import(_sourceDir: string, _options?: unknown): never {
    throw this.#readOnlyError('import');
  }

  /** Nothing to release (a view holds no lock and no file); there for symmetry with `Dataset`. */
  async close(): Promise<void> {}

  #readOnlyError(action: string): CivtagError {
    return new CivtagError(
      ErrorCode.CONFLICT,
      `Cannot ${action}: the dataset ${this.dir} was opened read-only (openDatasetReadOnly). ` +
        'Open it with openDataset to make changes, once no other process has it open.',
      { details: { dir: this.dir, readOnly: true } },
    );
  }
}
