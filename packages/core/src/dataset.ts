import {
  type CaptionProgress,
  type Change,
  type CheckReport,
  CivtagError,
  ErrorCode,
  type ImportProgress,
  parseOrThrow,
  type TagOp,
  TagOpSchema,
} from '@civtag/api-models';
import type { SessionWarning } from '@civtag/session';
import type { SessionStore } from '@civtag/session/store';
import {
  type AutoTagContext,
  type AutoTagJob,
  type AutoTagOptions,
  type ImageTagger,
  startAutoTag,
} from './auto-tag-job.js';
import { CaptionLease, LEASE_RETRY_MS } from './caption-lease.js';
import { reconcileOnOpen, watchForEdits } from './caption-reconciler.js';
import { type AppliedChange, ChangePipeline, type DatasetSession } from './change-pipeline.js';
import { checkDataset } from './check-dataset.js';
import type { DatasetEvents } from './dataset-events.js';
import { DatasetReader } from './dataset-reader.js';
import type { DatasetEntry } from './entry-schema.js';
import { type HashingContext, hashMissingImages } from './hash-missing-images.js';
import {
  type ImportContext,
  type ImportJob,
  type ImportJobOptions,
  startImport,
} from './import-job.js';
import type { EarlierCaptions } from './inspect-captions.js';
import type { DatasetState } from './state-schema.js';
import { sweepDatasetFolders } from './sweep-dataset-folders.js';
import { readThumbnail } from './thumbnail.js';
import { hasNews, toChange } from './to-change.js';

export type { AppliedChange } from './change-pipeline.js';

/** What `repair()` did, and the check report after it. */
export interface RepairResult {
  /** Caption files rewritten as canonical UTF-8 (they had a BOM or another encoding). */
  rewritten: number;
  /** Images whose trigger word was put in front (added where missing), as undoable ops. */
  moved: number;
  report: CheckReport;
}

/** Identifies an op so that a resend is applied once (both or neither), and who waits for it. */
export interface OpMeta {
  clientId?: string;
  opId?: string;
  /**
   * Called as soon as the change is journaled (durable), before its captions are written; not
   * called for a duplicate. A socket acknowledges here, so a client waits for the fsync of one
   * journal line, not for the caption files (DESIGN's order of durability).
   */
  onDurable?: (change: Change) => void;
}

/**
 * With a shared dataset folder, the caption writer removes temporary files left there once they
 * are this old (no write in progress keeps one that long), when it takes the folder over and
 * then this often.
 */
const SHARED_TEMP_AGE_MS = 10 * 60_000;
const SHARED_SWEEP_MS = 10 * 60_000;

/**
 * How a dataset whose store is shared by several servers writes its files: only while it holds
 * the store's lease. `earlier` gathers, while it does not, the captions each image had (what
 * the holder may have written), and `recording` turns that gathering on and off.
 */
export interface SharedFiles {
  store: SessionStore;
  earlier: Map<string, Map<string, number>>;
  recording: (on: boolean) => void;
  /** Drops from `earlier` what the files are past: the writer says they show `revision` or later. */
  writtenUpTo: (revision: number) => void;
  leaseRetryMs?: number;
}

/** Something the open of a dataset noticed and kept for a person (see {@link Dataset.warnings}). */
export type DatasetWarning = SessionWarning;

/**
 * An open dataset. Made by `createDataset` or `openDataset`; holds the dataset's lock until
 * {@link Dataset.close}.
 */
export class Dataset extends DatasetReader {
  readonly #session: DatasetSession;
  readonly #pipeline: ChangePipeline;
  #stopWatching: (() => void) | undefined;
  #lease: CaptionLease | undefined;
  /** With a shared store: the revision the caption writer last recorded its files are at. */
  #captionsRevision: number | undefined;
  /** While holding the lease, once the files taken over are in line: record how far they are. */
  #recordsWritten = false;
  #followTimer: NodeJS.Timeout | undefined;
  /** When the caption writer of a shared folder last swept it (0: not since it took the lease). */
  #sweptAt = 0;
  /** Counts the lease's takes and losses, so that a take overtaken by a loss starts nothing. */
  #leaseTakes = 0;
  readonly #imports = new Set<ImportJob>();
  readonly #autoTags = new Set<AutoTagJob>();
  #closed = false;
  #reconciled: Promise<void> = Promise.resolve();
  #hashed: Promise<void> = Promise.resolve();
  #swept: Promise<void> = Promise.resolve();

  /** @internal use `createDataset` or `openDataset`. */
  constructor(dir: string, session: DatasetSession) {
    super(dir);
    this.#session = session;
    this.#pipeline = new ChangePipeline(dir, session);
  }

  get #state(): DatasetState {
    return this.#session.state;
  }

  /** @internal */
  protected get readState(): DatasetState {
    return this.#state;
  }

  /**
   * What opening the dataset noticed that lost nothing but needs a person's eye: a damaged last
   * journal line kept aside in a file beside the journal (the message names it, with its byte
   * offset). Said once, on the open that found it; `check()` goes on reporting the file.
   */
  get warnings(): readonly DatasetWarning[] {
    return this.#session.warnings;
  }

  /**
   * Applies a tag op: validated, journalled (durable), announced as a `change`, then written
   * to the affected caption files. Resolves once the captions are written (`meta.onDurable`
   * is told as soon as the op is durable; the next op does not wait for these files). A caption
   * that cannot be written (`DISK_FULL`, `NOT_WRITABLE`) does not fail the op, which is durable:
   * it resolves with `captionsPending`, and the caption is written by the writer's retry. The op's tags are
   * stored in the dataset's tag style; a `settings` op changes the settings (the change
   * carries them), a `normalize` op rewrites tags to the style; both are undoable. The same
   * `clientId` + `opId` twice applies the op once (`duplicate: true` the second time).
   *
   * @throws CivtagError `VALIDATION` (a malformed op or tag), `NOT_FOUND` (an unknown image),
   *   `SESSION_CLOSED`, `IO_ERROR` (from the journal: the op was not applied).
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
        .filter(hasNews),
    };
  }

  /**
   * Imports the images of a folder (see {@link ImportJob}); progress is also announced as
   * `progress` events of the dataset. Importing a folder again resumes or adds what is new.
   * With a shared store, only the process holding the store's lease imports.
   *
   * @throws CivtagError `CONFLICT` with a shared store, on a process that does not hold its lease.
   */
  import(sourceDir: string, options: ImportJobOptions = {}): ImportJob {
    this.#assertOpen();
    if (this.#lease !== undefined && !this.#lease.held) {
      // One import at a time per dataset, and its files named by one process: the lease's.
      throw new CivtagError(
        ErrorCode.CONFLICT,
        `Imports into ${this.dir} run on the civtag server that writes its captions (its /api/health says "captionWriter": true); this one does not: import there.`,
        { details: { dir: this.dir } },
      );
    }
    const job = startImport(this.#importContext(), sourceDir, options);
    this.#imports.add(job);
    const forget = (): void => {
      this.#imports.delete(job);
    };
    job.done.then(forget, forget);
    return job;
  }

  /**
   * Runs an auto-tagger over images (see {@link AutoTagJob}): each image's proposals, rating and
   * the model that scored it are journaled in batches, and in `fill-empty` and `append` modes
   * accepted as tags by an `accept-proposals` op per batch (undoable). Images the model scored
   * before are skipped unless `rescore`. The tagger comes from the caller (`loadTagger` of
   * `@civtag/autotag`), so this package does not load onnxruntime. Progress is also announced
   * as `tagging` events.
   *
   * @throws CivtagError `VALIDATION` (a bad mode or query), `NOT_FOUND` (an unknown id),
   *   `SESSION_CLOSED`.
   */
  autoTag(tagger: ImageTagger, options: AutoTagOptions = {}): AutoTagJob {
    this.#assertOpen();
    const job = startAutoTag(this.#autoTagContext(), tagger, options);
    this.#autoTags.add(job);
    const forget = (): void => {
      this.#autoTags.delete(job);
    };
    job.done.then(forget, forget);
    return job;
  }

  /**
   * The WebP thumbnail of an image, from `.civtag/thumbs/<hash>.webp` (made when missing; served
   * all the same when the cache cannot be written for lack of space or a read-only disk).
   * @throws CivtagError `NOT_FOUND` for an unknown id; `IMAGE_UNREADABLE` when it cannot be made.
   */
  thumbnail(id: string): Promise<Uint8Array> {
    const image = this.requireImage(id);
    return readThumbnail(this.dir, image.hash, this.imagePath(id));
  }

  /**
   * Whether this process writes the dataset's caption files: always for a dataset of one
   * process; with a shared store, while it holds the store's lease (one server at a time), from
   * the moment it has caught up with the store after taking it.
   */
  get writesCaptions(): boolean {
    return this.#lease === undefined || (this.#lease.held && this.#pipeline.writesFiles);
  }

  /** Whether the dataset's store is shared with other servers (see `OpenDatasetOptions.store`). */
  get sharedStore(): boolean {
    return this.#lease !== undefined;
  }

  /**
   * Replays the changes other servers of a shared store made and this one has not read yet
   * (they are announced as `change` events); resolves with the revision reached. Nothing to do
   * for a dataset of one process.
   *
   * @throws CivtagError `IO_ERROR` when the store cannot be read now (nothing changed).
   */
  catchUp(): Promise<number> {
    return this.#session.catchUp();
  }

  /** Where the caption files stand: how many still wait to be written, and why some failed. */
  captionProgress(): CaptionProgress {
    return this.#pipeline.captions.progress();
  }

  /**
   * Resolves once every caption queued so far has been tried: written, or failed and waiting
   * for its retry (`captionProgress().failed`).
   */
  captionsWritten(): Promise<void> {
    return this.#pipeline.captions.idle();
  }

  /** What a user should fix before training: see `CheckReport`. */
  async check(): Promise<CheckReport> {
    await this.#pipeline.captions.idle();
    return this.#pipeline.queue.run(() =>
      checkDataset(this.dir, this.#state, { waiting: this.#pipeline.captions.waiting() }),
    );
  }

  /**
   * Fixes what `check()` finds that needs no choice: captions with a byte-order mark or in an
   * encoding other than UTF-8 are rewritten from the dataset (same tags, canonical UTF-8), and
   * images whose trigger word is not first get it moved to the front (undoable ops). Everything
   * else is left for a person and stays in the returned report.
   */
  async repair(): Promise<RepairResult> {
    const before = await this.check();
    const flagged = (code: string) =>
      before.problems.find((problem) => problem.code === code)?.imageIds ?? [];
    const rewrite = new Set([...flagged('CAPTION_HAS_BOM'), ...flagged('CAPTION_NOT_UTF8')]);
    await this.#pipeline.captions.write([...rewrite].map((id) => this.requireImage(id)));
    const triggerWord = this.#state.settings.triggerWord;
    let moved = 0;
    if (triggerWord !== undefined) {
      const misplaced = flagged('TRIGGER_NOT_FIRST');
      const lacking = misplaced.filter((id) => !this.requireImage(id).tags.includes(triggerWord));
      if (lacking.length > 0) {
        await this.apply({
          type: 'add',
          target: { ids: lacking },
          tags: [triggerWord],
          position: 'start',
        });
      }
      const missing = new Set(lacking);
      for (const imageId of misplaced.filter((id) => !missing.has(id))) {
        await this.apply({ type: 'move', imageId, tag: triggerWord, index: 0 });
      }
      moved = misplaced.length;
    }
    return { rewritten: rewrite.size, moved, report: await this.check() };
  }

  /**
   * Listens to `change`, `reload`, `progress`, `external-edit`, `captions`, `tagging` or
   * `session-fault`;
   * returns the function that stops listening.
   */
  on<K extends keyof DatasetEvents>(
    event: K,
    listener: (value: DatasetEvents[K]) => void,
  ): () => void {
    return this.#pipeline.events.on(event, listener);
  }

  /**
   * Cancels running imports and auto-tag jobs (what they journaled stays), waits for the
   * changes in flight, stops watching captions, compacts the journal and releases the lock.
   *
   * An auto-tag job stops once the batch in inference is journaled; after `autoTagGraceMs`
   * (default 20 s) the dataset closes without waiting for it: that batch is lost, and the next
   * job scores it.
   */
  async close(options: { autoTagGraceMs?: number } = {}): Promise<void> {
    if (this.#closed) return;
    for (const job of this.#imports) job.cancel();
    for (const job of this.#autoTags) job.cancel();
    const graceMs = options.autoTagGraceMs ?? AUTO_TAG_GRACE_MS;
    await Promise.all([
      Promise.allSettled([...this.#imports].map((job) => job.done)),
      settledWithin(
        [...this.#autoTags].map((job) => job.done),
        graceMs,
      ),
    ]);
    this.#closed = true;
    this.#stopWatching?.();
    if (this.#followTimer !== undefined) clearInterval(this.#followTimer);
    await this.#lease?.close();
    await this.#hashed;
    await this.#pipeline.queue.idle();
    await this.#pipeline.captions.close();
    // The sweep of leftovers must end while the lock is held: after it, another process may
    // write its own temporary files here.
    await this.#swept;
    await this.#session.close();
    this.#pipeline.events.clear();
  }

  /**
   * Resolves once the files have been brought in line with the state after the open: image
   * files put where their `excluded` flag says, captions that lag behind the journal rewritten,
   * and captions edited while the dataset was closed taken in as `external` ops. The dataset
   * serves reads before that; changes wait for it. Never rejects (a failure is a warning).
   */
  reconciled(): Promise<void> {
    return this.#reconciled;
  }

  /**
   * Resolves once every image has its perceptual hash (what near-duplicates are found by): a
   * dataset made before civtag kept them is hashed in the background after the open, after
   * reconciliation, in slices that wait their turn behind changes. An image that cannot be read
   * stays without one. Never rejects.
   */
  hashed(): Promise<void> {
    return this.#hashed;
  }

  /**
   * @internal Starts reconciling files with the state and watching captions; run once on open.
   * With `shared`, that waits until this process holds the store's lease, stops when it loses
   * it, and starts again (rewriting what lags) when it takes it back.
   */
  start(earlier: EarlierCaptions, swept: Promise<void>, shared?: SharedFiles): void {
    this.#swept = swept;
    if (shared === undefined) {
      this.#startFiles(earlier);
      return;
    }
    this.#pipeline.writesFiles = false;
    this.#pipeline.onBeyondFeed = () =>
      this.#closed ? Promise.resolve() : reconcileOnOpen(this.#pipeline, new Map());
    this.#reconciled = swept;
    this.#lease = new CaptionLease(shared.store, {
      retryMs: shared.leaseRetryMs,
      taken: () => {
        if (this.#closed) return;
        const taking = ++this.#leaseTakes;
        // First catch up with the store, still recording: the server that wrote the captions
        // before may have written some for changes this one had not read yet, and those are
        // its own lagging (or current) writes, not edits made outside civtag.
        void this.#session
          .catchUp()
          .catch(() => undefined)
          .then(() => {
            if (this.#closed || taking !== this.#leaseTakes || !this.#lease?.held) return;
            // The captions images had while another server wrote them count as civtag's own,
            // and so do those they have until the files are compared: a change replayed
            // meanwhile moves an image past the caption the previous holder left for it.
            this.#pipeline.writesFiles = true;
            this.#startFiles(shared.earlier, () => shared.earlier);
            void this.#reconciled.then(async () => {
              if (this.#closed || taking !== this.#leaseTakes) return;
              // Every file is compared or queued by now, and this server writes every change
              // from here on: nothing more to record. The record is kept until the captions
              // queued meanwhile are written (each one found edited is looked at against it).
              shared.recording(false);
              await this.#captionsSettled();
              if (this.#closed || taking !== this.#leaseTakes) return;
              shared.earlier.clear();
              this.#recordsWritten = true;
            });
          });
      },
      lost: () => {
        this.#leaseTakes += 1;
        this.#recordsWritten = false;
        this.#sweptAt = 0;
        this.#pipeline.writesFiles = false;
        this.#pipeline.captions.drop();
        shared.recording(true);
        this.#stopWatching?.();
        this.#stopWatching = undefined;
      },
    });
    void this.#lease.start();
    // How far the files are: the writer records it, the others read it and forget the captions
    // the files are past (a server that never writes would otherwise keep one per change).
    let following = false;
    this.#followTimer = setInterval(() => {
      if (following || this.#closed) return;
      following = true;
      void this.#followWritten(shared).finally(() => {
        following = false;
      });
    }, shared.leaseRetryMs ?? LEASE_RETRY_MS);
    this.#followTimer.unref();
  }

  /**
   * With a shared store: the revision every caption file shows or has passed, as the server
   * writing them last recorded it (read every couple of seconds); `undefined` with a store of
   * one writer, or before any was recorded.
   */
  get captionsRevision(): number | undefined {
    return this.#captionsRevision;
  }

  async #followWritten(shared: SharedFiles): Promise<void> {
    const lease = this.#lease;
    if (lease === undefined) return;
    try {
      if (lease.held) {
        if (!this.#recordsWritten) return;
        const taking = this.#leaseTakes;
        if (Date.now() - this.#sweptAt >= SHARED_SWEEP_MS) {
          // What killed servers left in the shared folders; files another server is writing
          // now are younger than that.
          this.#sweptAt = Date.now();
          await sweepDatasetFolders(this.dir, { olderThanMs: SHARED_TEMP_AGE_MS });
        }
        const revision = await this.#pipeline.writtenRevision();
        if (
          revision === undefined ||
          revision <= (this.#captionsRevision ?? 0) ||
          taking !== this.#leaseTakes ||
          this.#closed
        )
          return;
        await lease.recordWritten(revision);
        this.#captionsRevision = revision;
        return;
      }
      const revision = await shared.store.readWritten?.();
      if (revision === undefined || this.#closed) return;
      this.#captionsRevision = revision;
      shared.writtenUpTo(revision);
    } catch {
      // The database is away, or the lease went with it: the next turn tries again.
    }
  }

  /**
   * Puts the files in line with the state, then watches the captions for edits (`stillOwn`:
   * the caption hashes an edit found by the watcher or the writer is still compared with).
   */
  #startFiles(earlier: EarlierCaptions, stillOwn?: () => EarlierCaptions): void {
    const reconciled = reconcileOnOpen(this.#pipeline, earlier);
    this.#reconciled = Promise.all([this.#swept, reconciled]).then(() => undefined);
    this.#stopWatching = watchForEdits(this.#pipeline, () => this.#closed, stillOwn);
    this.#hashed = this.#reconciled
      .then(() => hashMissingImages(this.#hashingContext()))
      .then(
        () => undefined,
        // Only a dataset closing under it stops it with an error; the next open goes on.
        () => undefined,
      );
  }

  /**
   * Resolves once no caption waits to be written (or the dataset closes), and the edits its
   * writes found are taken in: those are queued as the writer reports them.
   */
  async #captionsSettled(): Promise<void> {
    const captions = this.#pipeline.captions;
    if (captions.pending > 0) {
      await new Promise<void>((resolve) => {
        const stop = this.#pipeline.events.on('captions', (progress) => {
          if (progress.pending === 0 || this.#closed) {
            stop();
            resolve();
          }
        });
      });
    }
    // The writer tells of an edit it found right after its progress: let that be queued first.
    await new Promise((resolve) => setImmediate(resolve));
    await this.#pipeline.queue.run(async () => undefined).catch(() => undefined);
  }

  #hashingContext(): HashingContext {
    return {
      dir: this.dir,
      state: () => this.#state,
      imagePath: (id) => this.imagePath(id),
      commit: async (entry) => {
        await this.#pipeline.queue.run(() => this.#pipeline.commit(entry));
      },
      stopped: () => this.#closed,
    };
  }

  async #change(entry: DatasetEntry, meta: OpMeta): Promise<AppliedChange> {
    this.#assertOpen();
    const key =
      meta.clientId !== undefined && meta.opId !== undefined
        ? { clientId: meta.clientId, opId: meta.opId }
        : undefined;
    const { applied, written } = await this.#pipeline.queue.run(() =>
      this.#pipeline.commitDurable(entry, key, meta.onDurable),
    );
    try {
      await written;
    } catch {
      // The change is journaled and applied: a caption that cannot be written (a full or
      // read-only disk) waits for the writer's retry, and the op is not reported as failed.
      return { ...applied, captionsPending: this.#pipeline.captions.pending };
    }
    return applied;
  }

  #importContext(): ImportContext {
    return {
      dir: this.dir,
      state: () => this.#state,
      exclusive: (task) => {
        this.#assertOpen();
        return this.#pipeline.queue.run(task);
      },
      commit: async (entry) => {
        await this.#pipeline.commit(entry);
      },
      commitMany: (entries) => this.#pipeline.commitMany(entries),
      announce: (progress: ImportProgress) => this.#pipeline.events.emit('progress', progress),
    };
  }

  #autoTagContext(): AutoTagContext {
    return {
      state: () => this.#state,
      imagePath: (id) => this.imagePath(id),
      commitBatch: (entries) => {
        this.#assertOpen();
        return this.#pipeline.queue.run(async () => {
          // An image excluded while it was being scored gets no tags.
          const last = entries.at(-1);
          if (
            last?.kind === 'op' &&
            last.op.type === 'accept-proposals' &&
            'ids' in last.op.target
          ) {
            const ids = last.op.target.ids.filter(
              (id) => this.#state.images[id]?.excluded === false,
            );
            if (ids.length === 0) entries.pop();
            else last.op.target = { ids };
          }
          const { outcomes, written } = await this.#pipeline.commitMany(entries);
          const accepted = last?.kind === 'op' ? outcomes.at(-1) : undefined;
          const tagged = accepted?.applied === true ? accepted.change.changes.length : 0;
          return { tagged, written };
        });
      },
      announce: (progress) => this.#pipeline.events.emit('tagging', progress),
    };
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

/** How long `close()` waits by default for an auto-tag job to journal its batch in inference. */
const AUTO_TAG_GRACE_MS = 20_000;

/** Resolves once every promise has settled or `ms` have passed, whichever comes first. */
async function settledWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  if (promises.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([Promise.allSettled(promises), elapsed]);
  } finally {
    clearTimeout(timer);
  }
}
