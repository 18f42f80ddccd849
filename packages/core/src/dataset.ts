import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  type CaptionOptions,
  type Change,
  type CheckReport,
  CivtagError,
  ErrorCode,
  type ImageRecord,
  type ImagesPage,
  type ImportProgress,
  parseOrThrow,
  type Settings,
  type TagOp,
  TagOpSchema,
} from '@civtag/api-models';
import type { Session } from '@civtag/session';
import {
  captionPath,
  findMisplacedImages,
  imageFolder,
  moveImageFiles,
  writeCaptions,
} from './caption-files.js';
import { watchCaptions } from './caption-watcher.js';
import { checkDataset } from './check-dataset.js';
import { type DatasetEvents, EventHub } from './dataset-events.js';
import type { DatasetEntry } from './entry-schema.js';
import { exportKohya, type KohyaExportResult } from './export-kohya.js';
import { exportZip } from './export-zip.js';
import { ImageIndex } from './image-index.js';
import {
  type ImportContext,
  type ImportJob,
  type ImportJobOptions,
  startImport,
} from './import-job.js';
import { inspectCaptions } from './inspect-captions.js';
import { captionFileName, fileStem } from './naming.js';
import { type QueryOptions, queryImages } from './query-images.js';
import type { EntryResult } from './reduce-entry.js';
import { SerialQueue } from './serial-queue.js';
import type { DatasetState, ImageState } from './state-schema.js';
import { readThumbnail } from './thumbnail.js';
import { toChange, toImageRecord } from './to-change.js';

/** Up to this many images, every caption is compared before `openDataset` resolves. */
const FULL_SCAN_ON_OPEN = 10_000;

/** An accepted change, and whether it was a resend of an op already applied. */
export type AppliedChange = Change & { duplicate: boolean };

/** Identifies an op so that a resend is applied once: both or neither. */
export interface OpMeta {
  clientId?: string;
  opId?: string;
}

/** What `export()` takes. */
export type ExportOptions =
  | { format: 'zip' }
  | { format: 'kohya'; outDir: string; repeats?: number };

type DatasetSession = Session<DatasetState, DatasetEntry, EntryResult>;

/**
 * An open dataset. Made by `createDataset` or `openDataset`; holds the dataset's lock until
 * {@link Dataset.close}.
 */
export class Dataset {
  readonly dir: string;
  readonly #session: DatasetSession;
  readonly #queue = new SerialQueue();
  readonly #events = new EventHub<DatasetEvents>();
  #stopWatching: (() => void) | undefined;
  readonly #imports = new Set<ImportJob>();
  #closed = false;

  /** @internal use `createDataset` or `openDataset`. */
  constructor(dir: string, session: DatasetSession) {
    this.dir = dir;
    this.#session = session;
  }

  get #state(): DatasetState {
    return this.#session.state;
  }

  /** The dataset's id, stable for its life. */
  get id(): string {
    return this.#state.id;
  }

  get settings(): Settings {
    return structuredClone(this.#state.settings);
  }

  /** The revision of the last accepted change. */
  get revision(): number {
    return this.#state.revision;
  }

  /** Every image, excluded ones included, in import order. */
  images(): ImageRecord[] {
    return ImageIndex.for(this.#state).order.map(toImageRecord);
  }

  image(id: string): ImageRecord | undefined {
    const image = ImageIndex.for(this.#state).byId.get(id);
    return image === undefined ? undefined : toImageRecord(image);
  }

  /**
   * A page of images matching `q`, in import order; pass `nextCursor` back for the next page.
   * @throws CivtagError `VALIDATION` for a malformed query, cursor or limit.
   */
  query(options: QueryOptions = {}): ImagesPage {
    return queryImages(ImageIndex.for(this.#state), this.revision, options);
  }

  /** How many images (not excluded) carry each tag, most used first. */
  tagStats(): { tag: string; count: number }[] {
    return ImageIndex.for(this.#state).stats.sorted();
  }

  /**
   * Applies a tag op: validated, journalled (durable), announced as a `change`, then written
   * to the affected caption files. Resolves once the captions are written. The same
   * `clientId` + `opId` twice applies the op once (`duplicate: true` the second time).
   *
   * @throws CivtagError `VALIDATION` (a malformed op or tag), `NOT_FOUND` (an unknown image),
   *   `SESSION_CLOSED`, `IO_ERROR`.
   */
  async apply(op: TagOp, meta: OpMeta = {}): Promise<AppliedChange> {
    const valid = parseOrThrow(TagOpSchema, op, 'tag op');
    return this.#change({ kind: 'op', op: valid, origin: 'op' }, meta);
  }

  /**
   * Takes back the last op (or redo), as one change with origin `undo`.
   * @throws CivtagError `CONFLICT` when there is nothing to undo.
   */
  async undo(meta: OpMeta = {}): Promise<AppliedChange> {
    return this.#change({ kind: 'undo' }, meta);
  }

  /**
   * Applies again what the last undo took back, as one change with origin `redo`.
   * @throws CivtagError `CONFLICT` when there is nothing to redo (a new op clears the redo history).
   */
  async redo(meta: OpMeta = {}): Promise<AppliedChange> {
    return this.#change({ kind: 'redo' }, meta);
  }

  canUndo(): boolean {
    return this.#state.undo.length > 0;
  }

  canRedo(): boolean {
    return this.#state.redo.length > 0;
  }

  /**
   * The changes after `revision`, or `reload: true` when they are older than the change feed
   * remembers (then read the images again).
   */
  changesSince(revision: number): { reload: true } | { reload: false; changes: Change[] } {
    const feed = this.#session.changesSince(revision);
    if (feed.reload) return { reload: true };
    return {
      reload: false,
      changes: feed.entries
        .map((entry) => toChange(entry.revision, entry.result, entry.key))
        .filter((change) => change.changes.length > 0 || (change.added?.length ?? 0) > 0),
    };
  }

  /**
   * Imports the images of a folder (see {@link ImportJob}); progress is also announced as
   * `progress` events of the dataset. Importing a folder again resumes or adds what is new.
   */
  import(sourceDir: string, options: ImportJobOptions = {}): ImportJob {
    this.#assertOpen();
    const job = startImport(this.#importContext(), sourceDir, options);
    this.#imports.add(job);
    const forget = (): void => {
      this.#imports.delete(job);
    };
    job.done.then(forget, forget);
    return job;
  }

  /**
   * The absolute path of an image file (in `.civtag/trash/` when excluded).
   * @throws CivtagError `NOT_FOUND` for an unknown id.
   */
  imagePath(id: string): string {
    const image = this.#require(id);
    return path.join(imageFolder(this.dir, image), image.file);
  }

  /**
   * The WebP thumbnail of an image, from `.civtag/thumbs/<hash>.webp` (made when missing).
   * @throws CivtagError `NOT_FOUND` for an unknown id; `IMAGE_UNREADABLE` when it cannot be made.
   */
  thumbnail(id: string): Promise<Uint8Array> {
    const image = this.#require(id);
    return readThumbnail(this.dir, image.hash, this.imagePath(id));
  }

  /** What a user should fix before training: see `CheckReport`. */
  check(): Promise<CheckReport> {
    return this.#queue.run(() => checkDataset(this.dir, this.#state));
  }

  /**
   * Exports the images that are not excluded with their captions. `zip`: a stream of a zip
   * with image + `.txt` pairs at its root (Civitai's layout). `kohya`: a folder
   * `<outDir>/<repeats>_<trigger word or prefix>/` (repeats default 10). `captionOverrides`
   * change how captions are written in the export only.
   *
   * @throws CivtagError `CONFLICT` when the kohya folder exists and is not empty.
   */
  export(options: { format: 'zip' }, captionOverrides?: Partial<CaptionOptions>): Readable;
  export(
    options: { format: 'kohya'; outDir: string; repeats?: number },
    captionOverrides?: Partial<CaptionOptions>,
  ): Promise<KohyaExportResult>;
  export(
    options: ExportOptions,
    captionOverrides: Partial<CaptionOptions> = {},
  ): Readable | Promise<KohyaExportResult> {
    const captions = { ...this.#state.settings.caption, ...captionOverrides };
    const images = ImageIndex.for(this.#state)
      .order.filter((image) => !image.excluded)
      .map((image) => ({ file: image.file, tags: [...image.tags], extraLines: image.extraLines }));
    if (options.format === 'zip') return exportZip(this.dir, images, captions);
    const folder = `${options.repeats ?? 10}_${this.#state.settings.triggerWord ?? this.#state.settings.prefix}`;
    return exportKohya(this.dir, images, { captions, outDir: path.join(options.outDir, folder) });
  }

  /** Listens to `change`, `progress` or `external-edit`; returns the function that stops listening. */
  on<K extends keyof DatasetEvents>(
    event: K,
    listener: (value: DatasetEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Cancels running imports (what they imported stays), waits for the changes in flight,
   * stops watching captions, compacts the journal and releases the lock.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    for (const job of this.#imports) job.cancel();
    await Promise.allSettled([...this.#imports].map((job) => job.done));
    this.#closed = true;
    this.#stopWatching?.();
    await this.#queue.idle();
    await this.#session.close();
    this.#events.clear();
  }

  /**
   * @internal Brings files in line with the state; run once on open. Images that the replayed
   * journal touched are put right before this resolves (moves, lagging captions). Every other
   * caption is compared too: before this resolves for a dataset of up to
   * {@link FULL_SCAN_ON_OPEN} images, otherwise in the background, ahead of any change
   * (changes queue behind it, so none can overwrite an edit made while civtag was closed).
   */
  async reconcile(earlier: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
    const index = ImageIndex.for(this.#state);
    const replayed = [...earlier.keys()].flatMap((id) => index.byId.get(id) ?? []);
    await this.#queue.run(async () => {
      await moveImageFiles(this.dir, await findMisplacedImages(this.dir, index.order));
      await this.#takeInCaptions(replayed, earlier);
    });
    const rest = index.order.filter((image) => !earlier.has(image.id));
    const scan = this.#queue.run(() => this.#takeInCaptions(rest, new Map()));
    if (index.order.length <= FULL_SCAN_ON_OPEN) {
      await scan;
      return;
    }
    scan.catch((error: unknown) => {
      process.emitWarning(
        `civtag could not compare the captions of ${this.dir} with its state: ${error instanceof Error ? error.message : String(error)}`,
        { code: 'CIVTAG_RECONCILE' },
      );
    });
  }

  /** @internal Starts picking up caption files edited while the dataset is open. */
  watch(): void {
    this.#stopWatching = watchCaptions(this.dir, (names) => {
      const index = ImageIndex.for(this.#state);
      const images: ImageState[] = [];
      for (const name of names) {
        const image = index.byStem.get(fileStem(name).toLowerCase());
        if (image !== undefined && !image.excluded && captionFileName(image.file) === name)
          images.push(image);
      }
      if (images.length === 0 || this.#closed) return;
      this.#queue
        .run(() => this.#takeInCaptions(images, new Map()))
        .catch((error: unknown) => {
          process.emitWarning(
            `civtag could not take in edited captions: ${error instanceof Error ? error.message : String(error)}`,
            {
              code: 'CIVTAG_RECONCILE',
            },
          );
        });
    });
  }

  async #takeInCaptions(
    images: readonly ImageState[],
    earlier: ReadonlyMap<string, ReadonlySet<string>>,
  ): Promise<void> {
    const settings = this.#state.settings;
    const found = await inspectCaptions(this.dir, images, { caption: settings.caption, earlier });
    await writeCaptions(this.dir, found.rewrite, settings.caption);
    for (const edit of found.edited) {
      const entry: DatasetEntry = {
        kind: 'op',
        op: { type: 'set', imageId: edit.image.id, tags: edit.tags },
        origin: 'external',
        extraLines: edit.extraLines,
      };
      const before = [...edit.image.tags];
      const announce = (change: Change): void => {
        this.#events.emit('external-edit', {
          imageId: edit.image.id,
          file: path.relative(this.dir, captionPath(this.dir, edit.image)),
          revision: change.revision,
          before,
          after: [...edit.image.tags],
        });
      };
      try {
        await this.#commit(entry, undefined, announce);
      } catch (error) {
        if (!CivtagError.hasCode(error, ErrorCode.VALIDATION)) throw error;
        // The file holds tags civtag cannot take (too many, too long): it is left as it is,
        // and `check()` reports it as out of date.
        process.emitWarning(
          `civtag left ${captionPath(this.dir, edit.image)} alone: ${error.message}`,
          { code: 'CIVTAG_RECONCILE' },
        );
      }
    }
  }

  #change(entry: DatasetEntry, meta: OpMeta): Promise<AppliedChange> {
    this.#assertOpen();
    const key =
      meta.clientId !== undefined && meta.opId !== undefined
        ? { clientId: meta.clientId, opId: meta.opId }
        : undefined;
    return this.#queue.run(() => this.#commit(entry, key));
  }

  /** Journals an entry, announces it, then writes what it changed to disk. Only inside the queue. */
  async #commit(
    entry: DatasetEntry,
    key: { clientId: string; opId: string } | undefined,
    announce?: (change: Change) => void,
  ): Promise<AppliedChange> {
    const outcome = await this.#session.apply(entry, key);
    const result: EntryResult = outcome.result ?? { origin: 'op', changes: [] };
    const change = toChange(outcome.revision, result, key);
    if (outcome.duplicate) return { ...change, duplicate: true };
    if (change.changes.length > 0 || (change.added?.length ?? 0) > 0)
      this.#events.emit('change', change);
    announce?.(change);
    await this.#project(result);
    return { ...change, duplicate: false };
  }

  /** Moves files of excluded or restored images, and writes the captions that changed. */
  async #project(result: EntryResult): Promise<void> {
    const index = ImageIndex.for(this.#state);
    const moved: ImageState[] = [];
    const touched: ImageState[] = [];
    for (const change of result.changes) {
      const image = index.byId.get(change.imageId);
      if (image === undefined) continue;
      touched.push(image);
      if (change.before.excluded !== change.after.excluded) moved.push(image);
    }
    for (const image of result.added ?? []) {
      const live = index.byId.get(image.id);
      if (live !== undefined) touched.push(live);
    }
    await moveImageFiles(this.dir, moved);
    await writeCaptions(this.dir, touched, this.#state.settings.caption);
  }

  #importContext(): ImportContext {
    return {
      dir: this.dir,
      state: () => this.#state,
      exclusive: (task) => {
        this.#assertOpen();
        return this.#queue.run(task);
      },
      commit: async (entry) => {
        await this.#commit(entry, undefined);
      },
      announce: (progress: ImportProgress) => this.#events.emit('progress', progress),
    };
  }

  #require(id: string): ImageState {
    const image = ImageIndex.for(this.#state).byId.get(id);
    if (image === undefined) {
      throw new CivtagError(
        ErrorCode.NOT_FOUND,
        `There is no image with id "${id}" in the dataset ${this.dir}.`,
        {
          details: { imageId: id },
        },
      );
    }
    return image;
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new CivtagError(
        ErrorCode.SESSION_CLOSED,
        `The dataset ${this.dir} is closed; open it again to make changes.`,
        {
          details: { dir: this.dir },
        },
      );
    }
  }
}
