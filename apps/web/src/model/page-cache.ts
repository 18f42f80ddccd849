import type { ImageChange, ImageRecord, ImagesPage } from '@civtag/api-models';
import { withoutRejected } from './proposal-view.js';

const UNSEEN_LIMIT = 20_000;
/** Pages loaded side by side when a range of many pages is wanted (a bulk preview of 100k). */
const PARALLEL_PAGES = 2;

/** What the cache asks of the server: one page of `GET /api/images`, by position. */
export type PageSource = (request: {
  offset: number;
  limit: number;
  q?: string;
  /** Aborted when the page is no longer wanted (the grid scrolled away before it came). */
  signal?: AbortSignal;
}) => Promise<ImagesPage>;

export interface PageCacheOptions {
  /** Fetches one page; in the app, `GET /api/images`. */
  source: PageSource;
  /** The filter query; empty or absent means every image. */
  query?: string;
  /** Records per request. Default 500. */
  pageSize?: number;
  /** The expected number of images before the first page says (e.g. the dataset's image count). */
  totalHint?: number;
}

interface PageLoad {
  promise: Promise<void>;
  controller: AbortController;
  /** Someone awaits all of it (a bulk preview, a key move): never aborted. */
  pinned: boolean;
}

/** Thrown by a page load that was aborted because its rows scrolled away. */
export class PageLoadAborted extends Error {
  constructor(readonly page: number) {
    super(`Page ${page} is no longer wanted.`);
    this.name = 'PageLoadAborted';
  }
}

/**
 * The in-memory view of `GET /api/images` for one filter, by position: page N is fetched on its
 * own (`offset` = N × page size), so the grid shows the last of 100,000 images without the
 * pages before them. What the grid shows is loaded through {@link show}, which aborts pages that
 * scrolled away before they came; whoever needs every record up to a point awaits
 * {@link ensureLoaded}. Socket changes update loaded records in place; a record is only replaced
 * by a newer one (by `rev`), so a page fetched before a change cannot undo it. When edits move
 * images in or out of the filter, a later page may place a record at a new position: it is then
 * moved, never shown twice.
 */
export class PageCache {
  readonly query: string;
  private readonly source: PageSource;
  private readonly pageSize: number;
  /** The id at each position; holes where no page has been loaded. */
  private readonly ids: (string | undefined)[] = [];
  private readonly records = new Map<string, ImageRecord>();
  private readonly positions = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  /** Changes to images not loaded yet: a page read before the change must not undo it. */
  private readonly unseenChanges = new Map<string, ImageChange>();
  private readonly loadedPages = new Set<number>();
  private readonly pageLoads = new Map<number, PageLoad>();
  private reportedTotal: number | undefined;
  private readonly totalHint: number | undefined;
  private failure: unknown = null;
  private firstPageRevision: number | undefined;

  constructor(options: PageCacheOptions) {
    this.source = options.source;
    this.query = options.query?.trim() ?? '';
    this.pageSize = options.pageSize ?? 500;
    this.totalHint = options.totalHint;
  }

  /** True once every record of the filter is loaded. */
  get complete(): boolean {
    if (this.reportedTotal === undefined) return false;
    const pages = Math.ceil(this.reportedTotal / this.pageSize);
    if (this.loadedPages.size < pages) return false;
    for (let page = 0; page < pages; page += 1) if (!this.loadedPages.has(page)) return false;
    return true;
  }

  /** How many records are loaded (not necessarily the first ones). */
  get loadedCount(): number {
    return this.positions.size;
  }

  /** The number of images matching the filter: as the last page said, else the best estimate. */
  get total(): number {
    if (this.reportedTotal !== undefined) return this.reportedTotal;
    return this.totalHint ?? 0;
  }

  /** True when `total` is what the server said rather than an estimate. */
  get totalKnown(): boolean {
    return this.reportedTotal !== undefined;
  }

  /** The revision of the first page fetched (`undefined` before it arrives). */
  get firstRevision(): number | undefined {
    return this.firstPageRevision;
  }

  /** The last fetch error, if a load stopped because of one. */
  get error(): unknown {
    return this.failure;
  }

  at(index: number): ImageRecord | undefined {
    const id = this.ids[index];
    return id === undefined ? undefined : this.records.get(id);
  }

  get(id: string): ImageRecord | undefined {
    return this.records.get(id);
  }

  indexOf(id: string): number {
    return this.positions.get(id) ?? -1;
  }

  /** The loaded records, in grid order. */
  loaded(): ImageRecord[] {
    const loaded: ImageRecord[] = [];
    for (const id of this.ids) if (id !== undefined) loaded.push(this.records.get(id)!);
    return loaded;
  }

  /** Calls `listener` whenever records are added or changed; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Loads the pages that hold positions `start … end-1`, the rows a view shows, and aborts the
   * pages on their way that no view wants any more (unless someone awaits them); an empty range
   * (the view is flying through) only aborts. Resolves when
   * they are loaded or were aborted by a later `show`; rejects with a fetch error.
   */
  async show(start: number, end: number): Promise<void> {
    const first = Math.floor(Math.max(0, start) / this.pageSize);
    const last = Math.ceil(Math.max(start, end) / this.pageSize);
    for (const [page, load] of this.pageLoads) {
      if (!load.pinned && (page < first || page >= last)) load.controller.abort();
    }
    const loads = [];
    for (let page = first; page < last; page += 1) loads.push(this.loadPage(page, false));
    try {
      await Promise.all(loads);
    } catch (error) {
      if (!(error instanceof PageLoadAborted)) throw error;
    }
  }

  /** Aborts every page load no one awaits: the cache is being replaced (a new filter). */
  abandon(): void {
    for (const load of this.pageLoads.values()) if (!load.pinned) load.controller.abort();
  }

  /**
   * Loads the pages that hold positions `start … end-1` and keeps them from being aborted by
   * {@link show}: for a key move to a row not loaded yet. Rejects with a fetch error.
   */
  async loadRange(start: number, end: number): Promise<void> {
    const loads = [];
    for (let page = Math.floor(start / this.pageSize); page * this.pageSize < end; page += 1)
      loads.push(this.loadPage(page, true));
    await Promise.all(loads);
  }

  /**
   * Makes sure records 0 … end-1 are loaded (or every record, when there are fewer).
   * Resolves when they are; rejects with the fetch error (later calls retry).
   */
  async ensureLoaded(end: number): Promise<void> {
    if (!this.totalKnown) await this.loadPage(0, true);
    for (let page = 0; page * this.pageSize < Math.min(end, this.total); ) {
      const batch = [];
      for (; batch.length < PARALLEL_PAGES && page * this.pageSize < Math.min(end, this.total); ) {
        batch.push(this.loadPage(page, true));
        page += 1;
      }
      await Promise.all(batch);
    }
  }

  /** Loads every page: what a bulk preview over "everything matching the filter" needs. */
  loadAll(): Promise<void> {
    return this.ensureLoaded(Number.POSITIVE_INFINITY);
  }

  /**
   * Applies one image's change from the socket. Returns true when a loaded record changed.
   * An older change than the record (by `rev`) is ignored.
   */
  applyChange(change: ImageChange): boolean {
    const current = this.records.get(change.imageId);
    if (current === undefined) {
      this.rememberUnseen(change);
      return false;
    }
    if (change.rev < current.rev) return false;
    this.records.set(change.imageId, {
      ...current,
      tags: change.tags,
      rev: change.rev,
      excluded: change.excluded ?? current.excluded,
      // A change of a scored image carries its pending proposals after it (a tagger's scoring,
      // an accept, a rejection, their undo); one without them leaves the record's as they were.
      ...(change.proposals === undefined ? {} : { proposals: change.proposals }),
      ...(change.rating === undefined ? {} : { rating: change.rating }),
    });
    return true;
  }

  /**
   * Shows an edit before the server confirms it (the record keeps its `rev`, so the server's
   * change, which carries a higher one, replaces it).
   */
  applyLocal(
    id: string,
    state: { tags: readonly string[]; excluded: boolean; rejected?: readonly string[] },
  ): boolean {
    const current = this.records.get(id);
    if (current === undefined) return false;
    const record = { ...current, tags: [...state.tags], excluded: state.excluded };
    // A rejection hides its proposals at once; the server's record brings the truth after.
    this.records.set(
      id,
      state.rejected === undefined ? record : withoutRejected(record, state.rejected),
    );
    return true;
  }

  /** Tells listeners that records changed (call once after a batch of `applyChange`). */
  notify(): void {
    for (const listener of this.listeners) listener();
  }

  private loadPage(page: number, pinned: boolean): Promise<void> {
    if (this.loadedPages.has(page)) return Promise.resolve();
    const running = this.pageLoads.get(page);
    if (running !== undefined && !running.controller.signal.aborted) {
      running.pinned ||= pinned;
      return running.promise;
    }
    const controller = new AbortController();
    const request: Parameters<PageSource>[0] = {
      offset: page * this.pageSize,
      limit: this.pageSize,
      signal: controller.signal,
    };
    if (this.query !== '') request.q = this.query;
    this.failure = null;
    const settle = () => {
      if (this.pageLoads.get(page)?.controller === controller) this.pageLoads.delete(page);
    };
    const promise = this.source(request).then(
      (result) => {
        settle();
        this.addPage(page, result);
        this.notify();
      },
      (error: unknown) => {
        settle();
        if (controller.signal.aborted) throw new PageLoadAborted(page);
        this.failure = error;
        this.notify();
        throw error;
      },
    );
    this.pageLoads.set(page, { promise, controller, pinned });
    return promise;
  }

  private rememberUnseen(change: ImageChange): void {
    if (this.complete) return;
    const known = this.unseenChanges.get(change.imageId);
    if (known !== undefined && known.rev > change.rev) return;
    this.unseenChanges.delete(change.imageId);
    this.unseenChanges.set(change.imageId, change);
    // Bounded: the oldest go first (a page that old has long been fetched or will be fresh).
    if (this.unseenChanges.size > UNSEEN_LIMIT) {
      const oldest = this.unseenChanges.keys().next().value;
      if (oldest !== undefined) this.unseenChanges.delete(oldest);
    }
  }

  private addPage(page: number, result: ImagesPage): void {
    this.firstPageRevision ??= result.revision;
    const offset = page * this.pageSize;
    result.images.forEach((record, slot) => {
      const known = this.records.get(record.id);
      if (known === undefined || record.rev >= known.rev) this.records.set(record.id, record);
      const unseen = this.unseenChanges.get(record.id);
      if (unseen !== undefined) {
        this.unseenChanges.delete(record.id);
        this.applyChange(unseen);
      }
      this.place(record.id, offset + slot, page);
    });
    // An empty page is the end, whatever total it reports.
    if (result.total !== undefined) this.reportedTotal = result.total;
    else if (result.images.length < this.pageSize || result.nextCursor === null)
      this.reportedTotal = offset + result.images.length;
    if (result.images.length === 0) this.reportedTotal = Math.min(this.total, offset);
    this.loadedPages.add(page);
  }

  /**
   * Puts `id` at `position`, taking it from where an older page had put it: that page has a
   * hole now, so it is loaded again when it is next shown.
   */
  private place(id: string, position: number, page: number): void {
    const before = this.positions.get(id);
    if (before === position) return;
    if (before !== undefined) {
      this.ids[before] = undefined;
      const stale = Math.floor(before / this.pageSize);
      if (stale !== page) this.loadedPages.delete(stale);
    }
    const displaced = this.ids[position];
    if (displaced !== undefined) this.positions.delete(displaced);
    this.ids[position] = id;
    this.positions.set(id, position);
  }
}
