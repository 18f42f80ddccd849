import type { Change } from '@civtag/api-models';
import type { Session } from '@civtag/session';
import { moveImageFiles, writeCaptions } from './caption-files.js';
import { captionStyle, captionText, textHash } from './caption-text.js';
import { type DatasetEvents, EventHub } from './dataset-events.js';
import type { DatasetEntry } from './entry-schema.js';
import { ImageIndex } from './image-index.js';
import type { EntryResult } from './reduce-entry.js';
import { SerialQueue } from './serial-queue.js';
import type { DatasetState, ImageState } from './state-schema.js';
import { hasNews, toChange } from './to-change.js';

/** An accepted change, and whether it was a resend of an op already applied. */
export type AppliedChange = Change & { duplicate: boolean };

/** The session of a dataset. */
export type DatasetSession = Session<DatasetState, DatasetEntry, EntryResult>;

/**
 * The one road every change of a dataset takes: journal (durable), then the `change` event,
 * then the files (moves to and from the trash, captions). Tasks run one at a time through
 * {@link ChangePipeline.queue}, so captions are written in journal order and a caption check
 * never races a write of civtag's own.
 */
export class ChangePipeline {
  readonly dir: string;
  readonly session: DatasetSession;
  readonly queue = new SerialQueue();
  readonly events = new EventHub<DatasetEvents>();

  constructor(dir: string, session: DatasetSession) {
    this.dir = dir;
    this.session = session;
  }

  get state(): DatasetState {
    return this.session.state;
  }

  /**
   * Journals `entry`, announces it (`change`, then `announce`), then writes what it changed
   * to disk. Call only from a task of {@link ChangePipeline.queue}.
   *
   * @throws whatever the reducer throws (`VALIDATION`, `NOT_FOUND`, `CONFLICT`); session
   *   errors (`SESSION_CLOSED`, `SESSION_LOCKED`, `IO_ERROR`); `IO_ERROR` from caption writes.
   */
  async commit(
    entry: DatasetEntry,
    key?: { clientId: string; opId: string },
    announce?: (change: Change) => void,
  ): Promise<AppliedChange> {
    const outcome = await this.session.apply(entry, key);
    const change = toChange(outcome.revision, outcome.result, key);
    if (outcome.duplicate) return { ...change, duplicate: true };
    if (hasNews(change)) this.events.emit('change', change);
    announce?.(change);
    await this.#project(outcome.result);
    return { ...change, duplicate: false };
  }

  /**
   * Moves the files of excluded or restored images, and writes the captions that changed:
   * after new settings, also every caption they write differently (escaped parentheses, a
   * trigger word), so that all caption files follow one style. Tags are not rewritten.
   */
  async #project(result: EntryResult): Promise<void> {
    const index = ImageIndex.for(this.state);
    const moved: ImageState[] = [];
    const touched: ImageState[] = [];
    for (const change of result.changes) {
      const image = index.byId.get(change.imageId);
      if (image === undefined) continue;
      touched.push(image);
      if (change.before.excluded !== change.after.excluded) moved.push(image);
    }
    for (const added of result.added ?? []) {
      const image = index.byId.get(added.id);
      if (image !== undefined) touched.push(image);
    }
    const style = captionStyle(this.state.settings);
    if (result.settings !== undefined) {
      const seen = new Set(touched);
      for (const image of index.order) {
        if (!seen.has(image) && textHash(captionText(image, style)) !== image.written) {
          touched.push(image);
        }
      }
    }
    await moveImageFiles(this.dir, moved);
    await writeCaptions(this.dir, touched, style);
  }
}
