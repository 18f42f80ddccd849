import {
  type AutoTagProgress,
  type AutoTagRequest,
  type Change,
  CivtagError,
  ErrorCode,
  type TagOp,
  type Target,
} from '@civtag/api-models';
import { type ApplyTagOpOptions, tagOpOptions, type VocabularyEntry } from '@civtag/tags';
import { httpApi } from '../api/http-api.js';
import { type LiveConnection, openLiveConnection } from '../live/live-connection.js';
import { laterProgress, orphaned } from '../model/auto-tag-job.js';
import type { BulkAction } from '../model/bulk-op.js';
import { applyChangeToDataset } from '../model/dataset-change.js';
import { historyToast } from '../model/history-toast.js';
import { PageCache } from '../model/page-cache.js';
import { checkQuery } from '../model/query-feedback.js';
import { EMPTY_SELECTION } from '../model/selection.js';
import type { AppState, FocusRequest } from './app-state.js';
import { ObservableState } from './observable-state.js';
import { revertOptimisticEdit, showOptimisticEdit } from './optimistic-edit.js';
import { TagSuggestions } from './tag-suggestions.js';
import { makeToast, type Toast } from './toasts.js';

export type { AppState, BulkRequest, DialogName, FocusRequest } from './app-state.js';

const PAGE_SIZE = 500;
const TILE_TEXT_KEY = 'civtag.tileText';

/** The tile line chosen last in this browser (file names by default). */
function readTileText(): AppState['tileText'] {
  try {
    return localStorage.getItem(TILE_TEXT_KEY) === 'tags' ? 'tags' : 'file';
  } catch {
    return 'file';
  }
}
const TAG_REFRESH_MS = 400;
/** The app's state and every action on it; the components only read and call. */
export class AppStore extends ObservableState<AppState> {
  /** Autocomplete over the dataset's tags and the server's vocabulary. */
  readonly suggestions = new TagSuggestions();
  private live: LiveConnection | null = null;
  private tagRefresh: ReturnType<typeof setTimeout> | null = null;
  private focusSerial = 0;
  private unsubscribeCache: () => void = () => {};
  private vocabularyRequested = false;

  constructor() {
    super({
      dataset: null,
      fatal: null,
      filter: '',
      cache: new PageCache({ source: httpApi.images, pageSize: PAGE_SIZE }),
      cacheVersion: 0,
      selection: EMPTY_SELECTION,
      focusIndex: -1,
      editorId: null,
      viewer: false,
      panel: 'none',
      bulkRequest: null,
      dialog: null,
      status: 'connecting',
      pending: 0,
      captions: { pending: 0, failed: 0 },
      held: null,
      tagCounts: [],
      matchingTagCounts: null,
      tagging: { tagger: null, job: null },
      toasts: [],
      focusRequest: null,
      tileText: readTileText(),
    });
  }

  /** Loads the dataset, its first page and tag counts, and opens the live connection. */
  async start(): Promise<void> {
    try {
      // The first page and the dataset load side by side: the grid paints sooner.
      this.replaceCache('');
      const { cache } = this.snapshot;
      const [dataset] = await Promise.all([httpApi.dataset(), cache.ensureLoaded(1)]);
      this.update({ dataset });
      // Replay from the older of the two reads, so no change falls between them.
      const since = Math.min(dataset.revision, cache.firstRevision ?? dataset.revision);
      this.live = openLiveConnection({ since });
      this.live.on('status', (status, pending) => {
        // Back online: the tagging frames sent while away are lost, the job's state is not.
        const was = this.snapshot.status;
        if (status === 'open' && was !== 'open' && was !== 'connecting') this.readTagging();
        this.update({ status, pending });
      });
      this.live.on('tagging', (job) => this.showTagging(job));
      this.live.on('change', (change) => this.receiveChange(change));
      this.live.on('reload', () => void this.reloadAll());
      this.live.on('captions', (captions) => this.update({ captions }));
      this.live.on('held', (held) => this.update({ held }));
      this.refreshTagCounts();
      this.readTagging();
    } catch (error) {
      this.update({ fatal: makeToast('error', error).text });
    }
  }

  get triggerWord(): string | undefined {
    return this.snapshot.dataset?.settings.triggerWord;
  }

  /** The options `applyTagOp` needs to compute what the server will store (trigger word, tag style). */
  get tagOpOptions(): ApplyTagOpOptions {
    const settings = this.snapshot.dataset?.settings;
    return settings === undefined ? {} : tagOpOptions(settings);
  }

  get liveConnection(): LiveConnection | null {
    return this.live;
  }

  /** Applies a filter query; an invalid one is refused (the filter box shows why). */
  setFilter(query: string): boolean {
    if (!checkQuery(query).valid) return false;
    if (query.trim() === this.snapshot.filter) return true;
    this.replaceCache(query.trim());
    this.update({
      selection: EMPTY_SELECTION,
      focusIndex: -1,
      editorId: null,
      panel: 'none',
      matchingTagCounts: null,
    });
    if (query.trim() !== '') void this.readTagCounts();
    return true;
  }

  /** Fetches the pages that hold indices up to `end`; reports a failed fetch once. */
  ensureLoaded(end: number): void {
    this.snapshot.cache.ensureLoaded(end).catch((error: unknown) => this.notifyError(error));
  }

  /**
   * Loads the records at positions `start … end-1` (what the grid shows), dropping the loads
   * of rows that scrolled away; reports a failed fetch.
   */
  showRange(start: number, end: number): void {
    this.snapshot.cache.show(start, end).catch((error: unknown) => this.notifyError(error));
  }

  /**
   * Loads the vocabulary for autocomplete, once, when a tag input is first used: a 140,000-tag
   * vocabulary is a megabyte to fetch and a few hundred milliseconds to index (in slices), which
   * a session that only browses never pays.
   */
  wantVocabulary(): void {
    if (this.vocabularyRequested) return;
    this.vocabularyRequested = true;
    httpApi.vocabulary().then(
      // Suggestions are worked out as the inputs render: render once more with the vocabulary.
      (entries) =>
        this.suggestions.loadVocabulary(entries as VocabularyEntry[]).then(() => this.update({})),
      (error: unknown) => {
        this.vocabularyRequested = false;
        this.notifyError(error);
      },
    );
  }

  /**
   * Sends an op through the live connection (queued while offline, delivered once). Its effect
   * shows at once; a rejection undoes that display and says why.
   */
  async applyOp(op: TagOp): Promise<boolean> {
    const { cache } = this.snapshot;
    let shown: ReturnType<typeof showOptimisticEdit> = [];
    try {
      shown = showOptimisticEdit(cache, op, this.tagOpOptions);
    } catch (error) {
      // A tag the rules refuse is refused here, before it travels; anything else (an image
      // that is not loaded) only means there is nothing to show before the server answers.
      if (CivtagError.hasCode(error, ErrorCode.VALIDATION)) {
        this.notifyError(error);
        return false;
      }
    }
    if (this.live === null) return false;
    try {
      await this.live.send(op);
      return true;
    } catch (error) {
      revertOptimisticEdit(cache, shown);
      this.notifyError(error);
      return false;
    }
  }

  /**
   * Reads whether the server has a tagger and its job (`GET /api/autotag`): a tab opened during
   * a job shows it, and the whole list of failed files comes with it (frames carry the last few).
   */
  readTagging(): void {
    httpApi.autoTagStatus().then(
      ({ tagger, job }) => {
        const shown = this.snapshot.tagging.job;
        this.update({
          tagging: { tagger, job: job === undefined ? orphaned(shown) : laterProgress(shown, job) },
        });
      },
      (error: unknown) => this.notifyError(error),
    );
  }

  /**
   * Starts a tagging job with the server's tagger; its progress comes to every tab. A job
   * already running (`CONFLICT`) or no tagger (`NOT_FOUND`) is said as the server says it.
   */
  async startAutoTag(request: AutoTagRequest): Promise<boolean> {
    try {
      this.showTagging(await httpApi.startAutoTag(request));
      return true;
    } catch (error) {
      if (CivtagError.hasCode(error, ErrorCode.CONFLICT)) {
        this.notifyInfo('A tagging job is already running: wait for it to end or cancel it.');
        this.readTagging();
      } else {
        if (CivtagError.hasCode(error, ErrorCode.NOT_FOUND)) {
          this.update({ tagging: { ...this.snapshot.tagging, tagger: false } });
        }
        this.notifyError(error);
      }
      return false;
    }
  }

  /** Cancels the running tagging job; it stops after the batch in hand. */
  async cancelAutoTag(): Promise<void> {
    const job = this.snapshot.tagging.job;
    if (job === null || job.state !== 'running') return;
    try {
      this.showTagging(await httpApi.cancelAutoTag(job.jobId));
    } catch (error) {
      this.notifyError(error);
    }
  }

  /** Excludes the images of `target` when any of them is included, else restores them. */
  toggleExcluded(ids: readonly string[]): void {
    const records = ids
      .map((id) => this.snapshot.cache.get(id))
      .filter((record) => record !== undefined);
    if (records.length === 0) return;
    const target: Target = { ids: records.map((record) => record.id) };
    const anyIncluded = records.some((record) => !record.excluded);
    void this.applyOp(anyIncluded ? { type: 'exclude', target } : { type: 'restore', target });
  }

  async undo(): Promise<void> {
    await this.runHistory('undo');
  }

  async redo(): Promise<void> {
    await this.runHistory('redo');
  }

  notifyError(error: unknown): void {
    // While the socket is down the status indicator already says so: no toast per failed fetch.
    if (this.snapshot.status !== 'open' && CivtagError.hasCode(error, ErrorCode.IO_ERROR)) return;
    this.pushToast(makeToast('error', error));
  }

  notifyInfo(text: string): void {
    this.pushToast(makeToast('info', text));
  }

  dismissToast(id: number): void {
    this.update({ toasts: this.snapshot.toasts.filter((toast) => toast.id !== id) });
  }

  /** Closes any dialog and opens the bulk panel on `action`, over the filter's images. */
  openBulkPanel(action: BulkAction): void {
    this.focusSerial += 1;
    this.update({
      dialog: null,
      panel: 'bulk',
      bulkRequest: { action, serial: this.focusSerial },
    });
  }

  /** Shows file names or first tags under the tiles; the browser remembers the choice. */
  setTileText(tileText: AppState['tileText']): void {
    try {
      localStorage.setItem(TILE_TEXT_KEY, tileText);
    } catch {
      // Storage refused (a private window): the choice holds for this page.
    }
    this.update({ tileText });
  }

  requestFocus(target: FocusRequest['target']): void {
    this.focusSerial += 1;
    this.update({ focusRequest: { target, serial: this.focusSerial } });
  }

  /** Starts over from the server: dataset, pages, tag counts (the change feed was too old). */
  async reloadAll(): Promise<void> {
    try {
      const dataset = await httpApi.dataset();
      this.update({ dataset });
      this.replaceCache(this.snapshot.filter);
      this.refreshTagCounts();
    } catch (error) {
      this.notifyError(error);
    }
  }

  private async runHistory(direction: 'undo' | 'redo'): Promise<void> {
    // Undo is the server's shared history: it cannot be queued like an edit.
    if (this.snapshot.status !== 'open') {
      this.notifyInfo(
        `${direction === 'undo' ? 'Undo' : 'Redo'} needs the server: try again once online.`,
      );
      return;
    }
    try {
      const answer = direction === 'undo' ? await httpApi.undo() : await httpApi.redo();
      this.notifyInfo(historyToast(direction, answer));
    } catch (error) {
      this.notifyError(error);
    }
  }

  private pushToast(toast: Toast): void {
    this.update({ toasts: [...this.snapshot.toasts.slice(-3), toast] });
    setTimeout(() => this.dismissToast(toast.id), toast.tone === 'error' ? 8000 : 3500);
  }

  private replaceCache(filter: string): void {
    this.unsubscribeCache();
    this.snapshot.cache.abandon();
    const imageCount = this.snapshot.dataset?.imageCount;
    const cache = new PageCache({
      source: httpApi.images,
      query: filter,
      pageSize: PAGE_SIZE,
      ...(filter === '' && imageCount !== undefined ? { totalHint: imageCount } : {}),
    });
    this.unsubscribeCache = cache.subscribe(() =>
      this.update({ cacheVersion: this.snapshot.cacheVersion + 1 }),
    );
    this.update({ cache, filter, cacheVersion: this.snapshot.cacheVersion + 1 });
    this.ensureLoaded(PAGE_SIZE);
  }

  private receiveChange(change: Change): void {
    const { cache, dataset } = this.snapshot;
    let touched = false;
    for (const imageChange of change.changes) {
      touched = cache.applyChange(imageChange) || touched;
    }
    if (touched) cache.notify();
    if (dataset !== null) {
      this.update({ dataset: applyChangeToDataset(dataset, change) });
      if ((change.added?.length ?? 0) > 0) this.replaceCache(this.snapshot.filter);
    }
    this.refreshTagCounts();
  }

  private showTagging(job: AutoTagProgress): void {
    const { tagging } = this.snapshot;
    // A frame of a job means the server has a tagger, whatever an older answer said.
    this.update({ tagging: { tagger: true, job: laterProgress(tagging.job, job) } });
  }

  /** Re-reads the tag counts over HTTP, at most once per short interval. */
  private refreshTagCounts(): void {
    if (this.tagRefresh !== null) return;
    this.tagRefresh = setTimeout(() => {
      this.tagRefresh = null;
      void this.readTagCounts(true);
    }, TAG_REFRESH_MS);
  }

  /**
   * Reads the tag counts (and the dataset, when `withDataset`): the dataset's, and with a filter
   * those among its images. An answer for a filter that is no longer in force is dropped.
   */
  private async readTagCounts(withDataset = false): Promise<void> {
    const filter = this.snapshot.filter;
    try {
      const [tags, dataset] = await Promise.all([
        httpApi.tags(filter),
        withDataset ? httpApi.dataset() : Promise.resolve(null),
      ]);
      const patch: Partial<AppState> = { tagCounts: tags.tags };
      if (dataset !== null) patch.dataset = dataset;
      if (this.snapshot.filter === filter) {
        patch.matchingTagCounts =
          tags.matching === undefined
            ? null
            : {
                filter,
                counts: new Map(tags.matching.map((entry) => [entry.tag, entry.count])),
              };
      }
      this.update(patch);
      void this.suggestions.prepareCounts(tags.tags);
    } catch (error) {
      this.notifyError(error);
    }
  }
}
