import type { ImageChange, ImageRecord, ImagesPage } from '@civtag/api-models';

const UNSEEN_LIMIT = 20_000;

/** What the cache asks of the server: one page of `GET /api/images`. */
export type PageSource = (request: {
  cursor?: string;
  limit: number;
  q?: string;
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

/**
 * The in-memory view of `GET /api/images` for one filter: pages are fetched lazily as the grid
 * needs them and kept as a contiguous prefix (the server's cursors are opaque, so page N is
 * reached through page N-1). Socket changes update loaded records in place; a record is only
 * replaced by a newer one (by `rev`), so a page fetched before a change cannot undo it.
 */
export class PageCache {
  readonly query: string;
  private readonly source: PageSource;
  private readonly pageSize: number;
  private readonly ids: string[] = [];
  private readonly records = new Map<string, ImageRecord>();
  private readonly positions = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  /** Changes to images not loaded yet: a page read before the change must not undo it. */
  private readonly unseenChanges = new Map<string, ImageChange>();
  private nextCursor: string | null | undefined = undefined;
  private reportedTotal: number | undefined;
  private totalHint: number | undefined;
  private wanted = 0;
  private pumping: Promise<void> | null = null;
  private failure: unknown = null;
  private firstPageRevision: number | undefined;

  constructor(options: PageCacheOptions) {
    this.source = options.source;
    this.query = options.query?.trim() ?? '';
    this.pageSize = options.pageSize ?? 500;
    this.totalHint = options.totalHint;
  }

  /** True once the last page has been fetched. */
  get complete(): boolean {
    return this.nextCursor === null;
  }

  /** How many records are loaded (always indices 0 … loadedCount-1). */
  get loadedCount(): number {
    return this.ids.length;
  }

  /** The number of images matching the filter: exact once known, else the best estimate. */
  get total(): number {
    if (this.complete) return this.ids.length;
    if (this.reportedTotal !== undefined) return Math.max(this.reportedTotal, this.ids.length);
    if (this.totalHint !== undefined) return Math.max(this.totalHint, this.ids.length);
    return this.ids.length + (this.nextCursor === undefined ? 0 : this.pageSize);
  }

  /** True when `total` is exact rather than an estimate. */
  get totalKnown(): boolean {
    return this.complete || this.reportedTotal !== undefined;
  }

  /** The revision of the first page fetched (`undefined` before it arrives). */
  get firstRevision(): number | undefined {
    return this.firstPageRevision;
  }

  /** The last fetch error, if the cache stopped because of one. */
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
    return this.ids.map((id) => this.records.get(id)!);
  }

  /** Calls `listener` whenever records are added or changed; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Makes sure records 0 … end-1 are loaded (or the end of the list is reached).
   * Resolves when they are; rejects with the fetch error (later calls retry).
   */
  ensureLoaded(end: number): Promise<void> {
    this.wanted = Math.max(this.wanted, end);
    if (this.ids.length >= this.wanted || this.complete) return Promise.resolve();
    if (this.pumping === null) {
      this.failure = null;
      this.pumping = this.pump().finally(() => {
        this.pumping = null;
      });
    }
    return this.pumping;
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
    });
    return true;
  }

  /**
   * Shows an edit before the server confirms it (the record keeps its `rev`, so the server's
   * change, which carries a higher one, replaces it).
   */
  applyLocal(id: string, state: { tags: readonly string[]; excluded: boolean }): boolean {
    const current = this.records.get(id);
    if (current === undefined) return false;
    this.records.set(id, { ...current, tags: [...state.tags], excluded: state.excluded });
    return true;
  }

  /** Tells listeners that records changed (call once after a batch of `applyChange`). */
  notify(): void {
    for (const listener of this.listeners) listener();
  }

  private async pump(): Promise<void> {
    try {
      while (this.ids.length < this.wanted && !this.complete) {
        const request: { cursor?: string; limit: number; q?: string } = { limit: this.pageSize };
        if (typeof this.nextCursor === 'string') request.cursor = this.nextCursor;
        if (this.query !== '') request.q = this.query;
        const page = await this.source(request);
        this.addPage(page);
        this.notify();
      }
    } catch (error) {
      this.failure = error;
      this.wanted = this.ids.length;
      this.notify();
      throw error;
    }
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

  private addPage(page: ImagesPage): void {
    this.firstPageRevision ??= page.revision;
    for (const record of page.images) {
      const known = this.records.get(record.id);
      if (known === undefined || record.rev >= known.rev) this.records.set(record.id, record);
      const unseen = this.unseenChanges.get(record.id);
      if (unseen !== undefined) {
        this.unseenChanges.delete(record.id);
        this.applyChange(unseen);
      }
      if (!this.positions.has(record.id)) {
        this.positions.set(record.id, this.ids.length);
        this.ids.push(record.id);
      }
    }
    if (page.total !== undefined) this.reportedTotal = page.total;
    // A page without records that still names a next cursor would loop for ever: stop there.
    this.nextCursor = page.images.length === 0 ? null : page.nextCursor;
  }
}
