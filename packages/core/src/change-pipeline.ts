import type { Change } from '@civtag/api-models';
import type { Session } from '@civtag/session';
import { moveImageFiles } from './caption-files.js';
import { captionStyle, captionText, textHash } from './caption-text.js';
import { CaptionWriter } from './caption-writer.js';
import { type DatasetEvents, EventHub } from './dataset-events.js';
import type { DatasetEntry } from './entry-schema.js';
import { ImageIndex } from './image-index.js';
import { type EntryResult, resultWeight } from './reduce-entry.js';
import { SerialQueue } from './serial-queue.js';
import type { DatasetState, ImageState } from './state-schema.js';
import { hasNews, toChange } from './to-change.js';

/**
 * An accepted change, whether it was a resend of an op already applied, and how many images it
 * changed or added (for a resend of a bulk op, `changes` may be empty while `count` is not).
 * `captionsPending` is there when some of its caption files could not be written yet (a full or
 * read-only disk): the change stands, and that many captions of the dataset wait for the writer's
 * retry (`captionProgress()`).
 */
export type AppliedChange = Change & {
  duplicate: boolean;
  count: number;
  captionsPending?: number;
};

/** A change that is durable, and the caption writes it queued. */
export interface DurableChange {
  applied: AppliedChange;
  /** Resolves once the captions the change touched are written; rejects when one cannot be. */
  written: Promise<void>;
}

/** The session of a dataset. */
export type DatasetSession = Session<DatasetState, DatasetEntry, EntryResult>;

/**
 * The one road every change of a dataset takes: journal (durable), then the `change` event,
 * then the files (moves to and from the trash now, captions behind it in {@link captions}).
 * Tasks run one at a time through {@link ChangePipeline.queue}, so changes are journaled in
 * order and a check of an edited caption never races a change; caption files are written in
 * the background, in journal order, so the next change does not wait for the last one's files.
 */
export class ChangePipeline {
  readonly dir: string;
  readonly session: DatasetSession;
  readonly queue = new SerialQueue();
  readonly events = new EventHub<DatasetEvents>();
  readonly captions: CaptionWriter;
  /**
   * Whether this process writes the dataset's files (captions, moves to and from the trash).
   * Always with a store of one writer; with a shared store, only while it holds the store's
   * lease: the other servers leave the files to it.
   */
  writesFiles = true;
  /**
   * Called when replayed changes were more than the feed holds, while this process writes the
   * files: the dataset compares every file with the state (set by the dataset).
   */
  onBeyondFeed: () => Promise<void> = () => Promise.resolve();
  /** The newest revision announced as a `change` (or known to need none). */
  #announced: number;
  /** Tasks queued to write the files of replayed changes, not finished yet. */
  #replayedToWrite = 0;

  constructor(dir: string, session: DatasetSession) {
    this.dir = dir;
    this.session = session;
    this.captions = new CaptionWriter(
      dir,
      () => captionStyle(this.state.settings),
      (progress) => this.events.emit('captions', progress),
    );
    session.on('lock-lost', (error) => this.events.emit('session-fault', error));
    session.on('compaction-failed', (error) => this.events.emit('session-fault', error));
    this.#announced = session.revision;
    session.on('caught-up', () => this.#announceReplayed());
  }

  /**
   * Announces the entries other servers of a shared store applied, which the session replayed
   * (before one of this server's own, or when told of them), as `change` events in revision
   * order, and queues their files when this server writes them.
   */
  #announceReplayed(): void {
    const feed = this.session.changesSince(this.#announced);
    this.#announced = Math.max(this.#announced, this.session.revision);
    if (feed.reload) {
      // Further behind than the feed holds: nothing to announce one by one. Listeners read the
      // dataset again, and the files are compared with the state whole.
      this.events.emit('reload', { revision: this.session.revision });
      if (this.writesFiles) {
        this.#replayedToWrite += 1;
        this.onBeyondFeed().finally(() => {
          this.#replayedToWrite -= 1;
        });
      }
      return;
    }
    const results: EntryResult[] = [];
    for (const entry of feed.entries) {
      const change = toChange(entry.revision, entry.result, entry.key);
      if (hasNews(change)) this.events.emit('change', change);
      results.push(entry.result);
    }
    if (!this.writesFiles || results.length === 0) return;
    const combined = combineResults(results);
    // Behind the change in flight, if any: the caught-up event may come from inside its apply.
    this.#replayedToWrite += 1;
    this.queue
      .run(async () => {
        const moves = combined.changes.some(
          (change) => change.before.excluded !== change.after.excluded,
        );
        if (moves) await this.captions.pause();
        try {
          const { written } = await this.#project(combined);
          written.catch(() => undefined);
        } finally {
          this.#replayedToWrite -= 1;
          if (moves) this.captions.resume();
        }
      })
      .catch(() => undefined);
  }

  /**
   * The newest revision whose caption files are all written, or `undefined` when some of them
   * failed (they wait for the writer's retry). Waits its turn in the queue, so that every change
   * up to the revision it reads has queued its files, then for those writes, not for later ones.
   * A caption someone edited is left to be taken in, as an op of its own (a later revision).
   */
  async writtenRevision(): Promise<number | undefined> {
    const mark = await this.queue.run(async () => {
      const revision = this.session.revision;
      // Replayed changes not yet announced, or announced with their files still to queue.
      if (this.#announced < revision || this.#replayedToWrite > 0) return undefined;
      return { revision, flushed: this.captions.flushed() };
    });
    if (mark === undefined) return undefined;
    await mark.flushed;
    return this.captions.progress().failed === 0 ? mark.revision : undefined;
  }

  /** Notes that `revision` was announced by this pipeline's own commit. */
  #announcedUpTo(revision: number): void {
    if (revision > this.#announced) this.#announced = revision;
  }

  get state(): DatasetState {
    return this.session.state;
  }

  /**
   * Journals `entry`, announces it (`change`, then `announce`), moves the files it moved and
   * writes its captions. Resolves once those captions are written. Call only from a task of
   * {@link ChangePipeline.queue}.
   *
   * @throws whatever the reducer throws (`VALIDATION`, `NOT_FOUND`, `CONFLICT`); session
   *   errors (`SESSION_CLOSED`, `SESSION_LOCKED`, `IO_ERROR`); `IO_ERROR` from caption writes.
   */
  async commit(
    entry: DatasetEntry,
    key?: { clientId: string; opId: string },
    announce?: (change: Change) => void,
  ): Promise<AppliedChange> {
    const { applied, written } = await this.commitDurable(entry, key, announce);
    await written;
    return applied;
  }

  /**
   * Like {@link commit}, but resolves as soon as the change is journaled and its files are
   * moved, with the promise of its caption writes: the queue's next task need not wait for them.
   */
  async commitDurable(
    entry: DatasetEntry,
    key?: { clientId: string; opId: string },
    announce?: (change: Change) => void,
  ): Promise<DurableChange> {
    // A change that may move files waits for the caption writes in flight (a few files), so
    // that no caption lands in a folder its image is leaving.
    const moves = mayMoveFiles(entry);
    if (moves) await this.captions.pause();
    try {
      const outcome = await this.session.apply(entry, key);
      const change = toChange(outcome.revision, outcome.result, key);
      this.#announcedUpTo(outcome.revision);
      if (outcome.duplicate) {
        return {
          applied: { ...change, duplicate: true, count: resultWeight(outcome.result) },
          written: Promise.resolve(),
        };
      }
      if (hasNews(change)) this.events.emit('change', change);
      announce?.(change);
      const { written } = await this.#project(outcome.result);
      written.catch(() => undefined);
      return {
        applied: { ...change, duplicate: false, count: resultWeight(outcome.result) },
        written,
      };
    } finally {
      if (moves) this.captions.resume();
    }
  }

  /**
   * Journals `entries` as one batch (`Session.applyMany`: one journal write, one flush; a crash
   * keeps all of them or none), then announces each applied one (`change`, in order), moves the
   * files they moved and queues their captions. Resolves once the batch is durable, with what
   * became of each entry (an entry the reducer refused changed nothing) and the promise of their
   * caption writes. Call only from a task of {@link ChangePipeline.queue}.
   *
   * @throws `VALIDATION` for an entry that fails its schema, session errors (`SESSION_CLOSED`,
   *   `SESSION_LOCKED`, `IO_ERROR`): nothing of the batch was applied.
   */
  async commitMany(entries: readonly DatasetEntry[]): Promise<{
    outcomes: Array<{ applied: true; change: AppliedChange } | { applied: false; error: unknown }>;
    written: Promise<void>;
  }> {
    const moves = entries.some(mayMoveFiles);
    if (moves) await this.captions.pause();
    try {
      const outcomes = [];
      const results: EntryResult[] = [];
      for (const outcome of await this.session.applyMany(entries)) {
        if (!outcome.applied) {
          outcomes.push(outcome);
          continue;
        }
        const change = toChange(outcome.revision, outcome.result);
        this.#announcedUpTo(outcome.revision);
        if (hasNews(change)) this.events.emit('change', change);
        results.push(outcome.result);
        outcomes.push({
          applied: true as const,
          change: { ...change, duplicate: false, count: resultWeight(outcome.result) },
        });
      }
      const { written } = await this.#project(combineResults(results));
      written.catch(() => undefined);
      return { outcomes, written };
    } finally {
      if (moves) this.captions.resume();
    }
  }

  /**
   * Moves the files of excluded or restored images, and queues the captions that changed:
   * after new settings, also every caption they write differently (escaped parentheses, a
   * trigger word), so that all caption files follow one style. Tags are not rewritten.
   */
  async #project(result: EntryResult): Promise<{ written: Promise<void> }> {
    if (!this.writesFiles) return { written: Promise.resolve() };
    const index = ImageIndex.for(this.state);
    const moved: ImageState[] = [];
    const touched: ImageState[] = [];
    // What each caption held before this change: the base of a merge with an edit of it.
    const before = new Map<ImageState, readonly string[]>();
    for (const change of result.changes) {
      const image = index.byId.get(change.imageId);
      if (image === undefined) continue;
      // A change of proposals or rejections only keeps the very same tag list: its caption
      // file would be written byte for byte as it is (a tagger job scores thousands).
      const sameCaption =
        change.before.tags === change.after.tags &&
        change.before.excluded === change.after.excluded;
      if (sameCaption && result.settings === undefined) continue;
      touched.push(image);
      before.set(image, change.before.tags);
      if (change.before.excluded !== change.after.excluded) moved.push(image);
    }
    for (const added of result.added ?? []) {
      const image = index.byId.get(added.id);
      if (image !== undefined) touched.push(image);
    }
    if (result.settings !== undefined) {
      const style = captionStyle(this.state.settings);
      const seen = new Set(touched);
      for (const image of index.order) {
        if (!seen.has(image) && textHash(captionText(image, style)) !== image.written) {
          touched.push(image);
        }
      }
    }
    if (moved.length > 0) await moveImageFiles(this.dir, moved);
    // Wrapped: an async function would otherwise wait for the writes it returns.
    return { written: this.captions.write(touched, before) };
  }
}

/** Can this entry exclude or restore images (and so move their files)? */
function mayMoveFiles(entry: DatasetEntry): boolean {
  if (entry.kind === 'undo' || entry.kind === 'redo') return true;
  return entry.kind === 'op' && (entry.op.type === 'exclude' || entry.op.type === 'restore');
}

/**
 * The results of several entries as one, for writing their files once: each image's first
 * `before` and last `after`, every added image, the last settings.
 */
function combineResults(results: readonly EntryResult[]): EntryResult {
  const changes = new Map<string, EntryResult['changes'][number]>();
  const added: ImageState[] = [];
  let settings: EntryResult['settings'];
  for (const result of results) {
    for (const change of result.changes) {
      const earlier = changes.get(change.imageId);
      changes.set(
        change.imageId,
        earlier === undefined ? change : { ...change, before: earlier.before },
      );
    }
    added.push(...(result.added ?? []));
    settings = result.settings ?? settings;
  }
  const combined: EntryResult = {
    origin: results[0]?.origin ?? 'import',
    changes: [...changes.values()],
  };
  if (added.length > 0) combined.added = added;
  if (settings !== undefined) combined.settings = settings;
  return combined;
}
