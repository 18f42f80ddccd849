import type {
  AutoTagProgress,
  CaptionProgress,
  DatasetResponse,
  TagCount,
} from '@civtag/api-models';
import type { BulkAction } from '../model/bulk-op.js';
import type { HeldEdits, LiveStatus } from '../model/connection-status.js';
import type { PageCache } from '../model/page-cache.js';
import type { Selection } from '../model/selection.js';
import type { Toast } from './toasts.js';

/** Which dialog is open over the app. */
export type DialogName = 'shortcuts' | 'import' | 'export' | 'settings' | 'autotag' | 'duplicates';

/** Where the app asks the focus to go next (a serial makes each request distinct). */
export interface FocusRequest {
  target: 'tag-input' | 'filter' | 'grid';
  serial: number;
}

/** The bulk panel asked to open on an action (a serial makes each request distinct). */
export interface BulkRequest {
  action: BulkAction;
  serial: number;
}

/** Everything the components show. */
export interface AppState {
  dataset: DatasetResponse | null;
  /** The dataset could not be loaded; the app shows this instead. */
  fatal: string | null;
  /** The filter query in force. */
  filter: string;
  cache: PageCache;
  /** Bumped whenever records change, so views re-render. */
  cacheVersion: number;
  selection: Selection;
  /** The grid's keyboard position; -1 before the first move. */
  focusIndex: number;
  /** The image open in the editor. */
  editorId: string | null;
  /** The editor's image shown large over the grid (the image viewer). */
  viewer: boolean;
  /** The right-hand panel: the single-image editor or the bulk editor. */
  panel: 'editor' | 'bulk' | 'none';
  /** The last request to open the bulk panel on an action (the settings dialog's normalise). */
  bulkRequest: BulkRequest | null;
  dialog: DialogName | null;
  status: LiveStatus;
  pending: number;
  /** Caption files the server still writes behind saved edits. */
  captions: CaptionProgress;
  /** Edits the server refused for now because its disk is full; this tab sends them again. */
  held: HeldEdits | null;
  tagCounts: TagCount[];
  /**
   * While a filter is active: each tag's count among the images it matches, which the tag list
   * shows beside the dataset's count (`null` without a filter, or until the counts arrive).
   */
  matchingTagCounts: { filter: string; counts: ReadonlyMap<string, number> } | null;
  /**
   * Auto-tagging: whether the server has a tagger (`null` until it says), and the job running
   * now or the last one, whichever tab started it.
   */
  tagging: { tagger: boolean | null; job: AutoTagProgress | null };
  toasts: Toast[];
  focusRequest: FocusRequest | null;
  /** What the line under each tile names: its file, or its first tags. */
  tileText: 'file' | 'tags';
}
