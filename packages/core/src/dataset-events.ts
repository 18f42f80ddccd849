import type { CaptionProgress, Change, CivtagError, ImportProgress } from '@civtag/api-models';
import type { AutoTagProgress } from './auto-tag-job.js';

/** A caption file that was edited outside civtag, and the op that took its tags in. */
export interface ExternalEdit {
  imageId: string;
  /** The caption file, relative to the dataset folder. */
  file: string;
  /** The revision of the op that took the edit in. */
  revision: number;
  before: string[];
  after: string[];
}

/** What a dataset tells its listeners. */
export interface DatasetEvents {
  /** Every accepted change: ops, undo, redo, external edits, imported images. */
  change: Change;
  /**
   * With a shared store: other servers made more changes at once than the change feed holds
   * (a bulk op over ~20,000 images), so they cannot be told one by one: read the dataset again
   * (`revision` is where it stands now). Never for a dataset of one process.
   */
  reload: { revision: number };
  /** Progress of a running import. */
  progress: ImportProgress;
  /** A caption file edited outside civtag became an op (also announced as a `change`). */
  'external-edit': ExternalEdit;
  /** How many caption files still wait to be written, as they are queued and written. */
  captions: CaptionProgress;
  /** Progress of a running auto-tag job. */
  tagging: AutoTagProgress;
  /**
   * Something went wrong in the background that no caller is waiting for: the dataset's lock
   * was taken away (`SESSION_LOCKED`: every later change is refused; close and open it again),
   * or a compaction the dataset started by itself failed (`DISK_FULL`, `NOT_WRITABLE`,
   * `IO_ERROR`: nothing is lost, the journal holds every change and compaction is tried again).
   * Log it; a server shows it to its operator.
   */
  'session-fault': CivtagError;
}

export type DatasetEventName = keyof DatasetEvents;

/** A small typed event emitter; a listener that throws is reported as a process warning. */
export class EventHub<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(value: never) => void>>();

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof Events>(event: K, listener: (value: Events[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (value: never) => void);
    return () => {
      set.delete(listener as (value: never) => void);
    };
  }

  emit<K extends keyof Events>(event: K, value: Events[K]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (value: Events[K]) => void)(value);
      } catch (error) {
        process.emitWarning(
          `A civtag "${String(event)}" listener threw: ${error instanceof Error ? error.message : String(error)}`,
          { code: 'CIVTAG_LISTENER', detail: error instanceof Error ? error.stack : undefined },
        );
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
