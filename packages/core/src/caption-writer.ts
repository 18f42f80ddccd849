import path from 'node:path';
import { type CaptionProgress, CivtagError, ErrorCode } from '@civtag/api-models';
import {
  CAPTION_TEMP_FOLDER,
  makeTemporaryFolder,
  WRITE_CONCURRENCY,
  writeCaption,
} from './caption-files.js';
import type { CaptionStyle } from './caption-text.js';
import { OwnCaptionWrites } from './own-caption-writes.js';
import { runBounded } from './run-bounded.js';
import type { ImageState } from './state-schema.js';

/** How long the first retry of a failed caption write waits; it doubles up to the maximum. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;
/** Images written per slice of a batch: progress is told between slices. */
const SLICE = 512;

interface Batch {
  seq: number;
  images: readonly ImageState[];
  error: unknown;
  settle: (error: unknown) => void;
}

/**
 * Writes caption files behind the journal, so that an op is answered once it is durable and
 * the next op does not wait for the files of the last one. Batches are written in the order
 * they were queued, each file atomically, from the state at the time of the write: an image
 * queued again before its file was written is written once, with its newest tags. A write that
 * fails is tried again after a pause (the state is durable; the file only lags), and `pending`
 * counts it until it succeeds. A crash loses nothing: the next open rewrites every caption that
 * lags behind the journal.
 */
export class CaptionWriter {
  /** The renames of this writer into the dataset folder, for the folder watcher to pass over. */
  readonly own = new OwnCaptionWrites();
  readonly #dir: string;
  readonly #style: () => CaptionStyle;
  readonly #onProgress: (progress: CaptionProgress) => void;
  readonly #batches: Batch[] = [];
  /** How many queued batches hold each image (an image counts once in `pending`). */
  readonly #queued = new Map<ImageState, number>();
  /** The newest batch whose state an image's file already shows: later writes of older batches are skipped. */
  readonly #writtenAt = new WeakMap<ImageState, number>();
  /**
   * The tags each image's caption file holds as far as civtag knows: those it last wrote, those
   * it took in from the file, or, for an image not written yet in this process, the tags it had
   * before the change that queued it. The base of a merge with an edit made meanwhile.
   */
  readonly #fileTags = new WeakMap<ImageState, readonly string[]>();
  /** Told the images whose caption was edited by someone else and so was not written. */
  #onEdited: ((images: readonly ImageState[]) => void) | undefined;
  /** Images whose last write failed, and why: they wait for the retry. */
  readonly #failed = new Map<ImageState, unknown>();
  #seq = 0;
  /** Batches up to this one were dropped ({@link drop}): their files are left to another process. */
  #droppedUpTo = 0;
  #lastError: unknown;
  #running: Promise<void> | undefined;
  #paused: { done: Promise<void>; release: () => void } | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #retryDelay = RETRY_FIRST_MS;
  #closed = false;
  /** The slice being written, which {@link pause} waits for. */
  #inFlight: Promise<void> = Promise.resolve();
  /**
   * The folder for the temporary files of this writer's captions once made (`undefined` when it
   * cannot be: they are then written beside the captions).
   */
  #temporaryFolder: Promise<string | undefined> | undefined;
  /** Settles once the last batch queued has (so every batch before it too: they settle in order). */
  #lastBatch: Promise<void> = Promise.resolve();

  constructor(
    dir: string,
    style: () => CaptionStyle,
    onProgress: (progress: CaptionProgress) => void = () => {},
  ) {
    this.#dir = dir;
    this.#style = style;
    this.#onProgress = onProgress;
  }

  /** Images whose caption file waits to be written. */
  get pending(): number {
    return this.#queued.size;
  }

  progress(): CaptionProgress {
    const progress: CaptionProgress = { pending: this.pending, failed: this.#failed.size };
    if (this.#failed.size > 0 && this.#lastError !== undefined) {
      progress.error = describe(this.#lastError);
    }
    return progress;
  }

  /**
   * The images whose caption file could not be written, each with the error of its last try
   * (`DISK_FULL`, `NOT_WRITABLE`, `IO_ERROR`): they are tried again after a pause that doubles,
   * from 1 s up to 30 s, until they are written, so a disk that gets space back gets its captions
   * without a further change or a reopen.
   */
  waiting(): Array<{ image: ImageState; error: unknown }> {
    return [...this.#failed].map(([image, error]) => ({ image, error }));
  }

  /** Is the caption of `image` queued or being written? */
  isPending(image: ImageState): boolean {
    return this.#queued.has(image);
  }

  /**
   * The tags the caption file of `image` holds as far as civtag knows (see `writeCaption`),
   * `undefined` when it does not know.
   */
  fileTags(image: ImageState): readonly string[] | undefined {
    return this.#fileTags.get(image);
  }

  /** Call when civtag has read the tags of the caption file of `image`. */
  knowFileTags(image: ImageState, tags: readonly string[]): void {
    this.#fileTags.set(image, tags);
  }

  /**
   * Sets the one listener told, after each slice, the images whose caption file someone else
   * edited since civtag last saw it: their write was left out (nothing is written over an
   * edit) and is theirs to take in, which queues the write again. Without a listener such an
   * image is left for the next open. Returns a function that removes it.
   */
  onEdited(listener: (images: readonly ImageState[]) => void): () => void {
    this.#onEdited = listener;
    return () => {
      if (this.#onEdited === listener) this.#onEdited = undefined;
    };
  }

  /**
   * Queues the captions of `images` to be written from the state (call once the state holds
   * the change; `before` gives the tags an image had before it, when known). Resolves once each
   * of them has been written or left to an edit; rejects with the first error (they stay
   * queued and are tried again).
   */
  write(
    images: readonly ImageState[],
    before?: ReadonlyMap<ImageState, readonly string[]>,
  ): Promise<void> {
    if (images.length === 0) return Promise.resolve();
    if (before !== undefined) {
      for (const [image, tags] of before) {
        if (!this.#fileTags.has(image)) this.#fileTags.set(image, tags);
      }
    }
    this.#seq += 1;
    let settle!: (error: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    for (const image of images) this.#queued.set(image, (this.#queued.get(image) ?? 0) + 1);
    this.#batches.push({ seq: this.#seq, images, error: undefined, settle });
    this.#lastBatch = done.catch(() => undefined);
    this.#announce();
    this.#start();
    return done;
  }

  /**
   * Stops starting writes and resolves once the writes in flight have ended (a few files):
   * for moving files between the dataset folder and the trash, where a caption write must not
   * land half way. Call {@link resume} after.
   */
  async pause(): Promise<void> {
    if (this.#paused === undefined) {
      let release!: () => void;
      const done = new Promise<void>((resolve) => {
        release = resolve;
      });
      this.#paused = { done, release };
    }
    await this.#inFlight;
  }

  resume(): void {
    const paused = this.#paused;
    this.#paused = undefined;
    paused?.release();
  }

  /**
   * Writes nothing more of what is queued or failed so far (the slice in flight ends): another
   * process writes these files now (with a shared store, the one that took the caption lease,
   * and rewrites what lags). What is queued later is written as usual. Every batch dropped
   * resolves.
   */
  drop(): void {
    this.#droppedUpTo = this.#seq;
    if (this.#retryTimer !== undefined) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
    }
    for (const image of this.#failed.keys()) {
      if ((this.#queued.get(image) ?? 0) === 0) this.#queued.delete(image);
    }
    this.#failed.clear();
    this.#announce();
  }

  /**
   * Resolves once every batch queued so far has been tried, without waiting for batches queued
   * later (unlike {@link idle}); what failed waits for its retry (see {@link progress}).
   */
  flushed(): Promise<void> {
    return this.#lastBatch;
  }

  /**
   * Resolves once every caption queued so far has been tried: written, or failed and waiting
   * for its retry (see {@link progress}).
   */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /**
   * Writes what is queued once more, without waiting for a retry, and stops: what still fails
   * is left for the next open, which rewrites captions that lag behind the journal.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.resume();
    if (this.#retryTimer !== undefined) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
      this.#retryFailed();
    }
    await this.idle();
  }

  #start(): void {
    if (this.#running !== undefined) return;
    const running = this.#drain().finally(() => {
      if (this.#running === running) this.#running = undefined;
      if (this.#batches.length > 0) this.#start();
    });
    this.#running = running;
  }

  async #drain(): Promise<void> {
    for (let batch = this.#batches[0]; batch !== undefined; batch = this.#batches[0]) {
      for (let from = 0; from < batch.images.length; from += SLICE) {
        while (this.#paused !== undefined) await this.#paused.done;
        const slice = this.#sliceToWrite(batch, from);
        const writing = this.#writeSlice(batch, slice);
        this.#inFlight = writing.then(() => undefined);
        const edited = await writing;
        for (let index = from; index < Math.min(from + SLICE, batch.images.length); index += 1) {
          this.#release(batch.images[index] as ImageState);
        }
        this.#announce();
        // Once released: an edited image no other batch holds can be taken in at once.
        if (edited.length > 0) this.#onEdited?.(edited);
      }
      this.#batches.shift();
      batch.settle(batch.error);
    }
    if (this.#failed.size > 0) this.#scheduleRetry();
    else this.#retryDelay = RETRY_FIRST_MS;
  }

  /** The images of a slice whose file does not show this batch's state yet. */
  #sliceToWrite(batch: Batch, from: number): ImageState[] {
    const slice: ImageState[] = [];
    if (batch.seq <= this.#droppedUpTo) return slice;
    const to = Math.min(from + SLICE, batch.images.length);
    for (let index = from; index < to; index += 1) {
      const image = batch.images[index] as ImageState;
      if ((this.#writtenAt.get(image) ?? 0) < batch.seq) slice.push(image);
    }
    return slice;
  }

  /** Writes a slice; returns the images left as they are because someone else edited them. */
  async #writeSlice(batch: Batch, images: ImageState[]): Promise<ImageState[]> {
    const edited: ImageState[] = [];
    if (images.length === 0) return edited;
    const temporaryFolder = await this.#makeTemporaryFolder();
    // The state now holds every batch queued so far: that is what these files will show.
    const seq = this.#seq;
    const style = this.#style();
    await runBounded(images, WRITE_CONCURRENCY, async (image) => {
      try {
        const tags = image.tags;
        const written = await writeCaption(this.#dir, image, {
          style,
          own: this.own,
          temporaryFolder,
        });
        this.#failed.delete(image);
        if (!written) {
          edited.push(image);
          return;
        }
        this.#writtenAt.set(image, seq);
        this.#fileTags.set(image, tags);
      } catch (error) {
        this.#failed.set(image, error);
        this.#lastError = error;
        batch.error ??= error;
      }
    });
    return edited;
  }

  /**
   * Makes the folder of {@link CAPTION_TEMP_FOLDER} once (not on open: a dataset only read gains
   * no folder), so that the watcher of the dataset folder sees only the rename of each caption.
   */
  #makeTemporaryFolder(): Promise<string | undefined> {
    if (this.#temporaryFolder === undefined) {
      const folder = path.join(this.#dir, CAPTION_TEMP_FOLDER);
      this.#temporaryFolder = makeTemporaryFolder(folder).then((made) =>
        made ? folder : undefined,
      );
    }
    return this.#temporaryFolder;
  }

  /** One batch fewer holds `image`; a failed image stays queued for its retry. */
  #release(image: ImageState): void {
    const count = (this.#queued.get(image) ?? 1) - 1;
    if (count > 0) this.#queued.set(image, count);
    else if (this.#failed.has(image)) this.#queued.set(image, 0);
    else this.#queued.delete(image);
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retryTimer !== undefined) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#retryFailed();
    }, this.#retryDelay);
    this.#retryTimer.unref();
    this.#retryDelay = Math.min(this.#retryDelay * 2, RETRY_MAX_MS);
  }

  #retryFailed(): void {
    const failed = [...this.#failed.keys()];
    if (failed.length === 0) return;
    // They are counted in `pending` already; the retry batch takes them over.
    for (const image of failed) this.#queued.delete(image);
    this.write(failed).catch(() => undefined);
  }

  #announce(): void {
    this.#onProgress(this.progress());
  }
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof CivtagError) return { code: error.code, message: error.message };
  return {
    code: ErrorCode.IO_ERROR,
    message: error instanceof Error ? error.message : String(error),
  };
}
