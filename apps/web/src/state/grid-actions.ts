import { moveIndex } from '../model/grid-layout.js';
import {
  extendSelection,
  type SelectMode,
  selectAllMatching,
  selectAt,
  selectIds,
} from '../model/selection.js';
import type { Command } from '../model/shortcuts.js';
import type { AppStore } from './app-store.js';

/** The grid's column count, kept current by the grid so that ↑/↓ move by a row. */
export const gridShape = { columns: 1 };

/**
 * A click (or Space) on the tile at `index`. One image selected: the editor shows it; several:
 * the bulk editor; none: no panel.
 */
export function clickTile(store: AppStore, index: number, mode: SelectMode): void {
  const { selection, cache } = store.snapshot;
  const next = selectAt(selection, { index, mode }, (position) => cache.at(position)?.id);
  const only = next.ids.size === 1 ? ([...next.ids][0] ?? null) : null;
  store.update({
    selection: next,
    focusIndex: index,
    editorId: only,
    panel: next.ids.size > 1 ? 'bulk' : only !== null ? 'editor' : 'none',
  });
}

/**
 * Moves the keyboard position; the selection stays as it is (Space adds the focused image to
 * it, Shift+arrows extend it). With the editor open, the editor follows the position: arrows
 * browse images one by one. A position whose record is not loaded yet (End on 100,000 images)
 * is moved to at once, and the editor follows when its page arrives, unless the position
 * moved on meanwhile.
 */
export function moveFocus(store: AppStore, index: number): void {
  const { cache, panel } = store.snapshot;
  const record = cache.at(index);
  if (record === undefined) {
    if (index < 0 || index >= cache.total) return;
    store.update({ focusIndex: index });
    cache.loadRange(index, index + 1).then(
      () => {
        const now = store.snapshot;
        if (now.cache === cache && now.focusIndex === index && cache.at(index) !== undefined)
          moveFocus(store, index);
      },
      (error: unknown) => store.notifyError(error),
    );
    return;
  }
  store.update({ focusIndex: index, ...(panel === 'editor' ? { editorId: record.id } : {}) });
}

/**
 * Shift+arrow: moves the keyboard position to `index` and extends the selection from its
 * anchor to it (see `extendSelection`). Several images selected show the bulk editor.
 */
function extendFocus(store: AppStore, index: number): void {
  const { cache, focusIndex, selection, panel } = store.snapshot;
  if (index < 0 || index >= cache.total) return;
  const next = extendSelection(
    selection,
    { from: focusIndex, to: index },
    (position) => cache.at(position)?.id,
  );
  const only = next.ids.size === 1 ? ([...next.ids][0] ?? null) : null;
  store.update({
    focusIndex: index,
    selection: next,
    ...(next.ids.size > 1
      ? { panel: 'bulk' as const }
      : panel === 'editor' && only !== null
        ? { editorId: only }
        : {}),
  });
}

/**
 * Opens the editor on the focused image and puts the cursor in its tag input. A selection of
 * several images stays (Esc goes back to it); otherwise the focused image becomes the selection.
 */
export function openEditor(store: AppStore): void {
  const { cache, focusIndex, selection } = store.snapshot;
  const index = Math.max(0, focusIndex);
  const record = cache.at(index);
  if (record === undefined) return;
  const keepsSelection = selection.allMatching || selection.ids.size > 1;
  store.update({
    focusIndex: index,
    editorId: record.id,
    panel: 'editor',
    ...(keepsSelection
      ? {}
      : { selection: { ids: new Set([record.id]), anchor: index, allMatching: false } }),
  });
  store.requestFocus('tag-input');
}

/** Opens the editor on the focused image (unless it shows one) and the viewer over the grid. */
export function openViewer(store: AppStore): void {
  const { panel, editorId } = store.snapshot;
  if (panel !== 'editor' || editorId === null) {
    openEditor(store);
    if (store.snapshot.panel !== 'editor') return;
  }
  store.update({ viewer: true });
}

/** Esc: a dialog, then the editor, then the selection. */
function leave(store: AppStore): void {
  const { dialog, panel, selection } = store.snapshot;
  if (dialog !== null) store.update({ dialog: null });
  else if (panel !== 'none') store.update({ panel: 'none', editorId: null });
  else if (selection.ids.size > 0 || selection.allMatching) {
    store.update({ selection: { ids: new Set(), anchor: null, allMatching: false } });
  }
  store.requestFocus('grid');
}

const EXTEND_DIRECTIONS = {
  'extend-left': 'left',
  'extend-right': 'right',
  'extend-up': 'up',
  'extend-down': 'down',
  'extend-first': 'first',
  'extend-last': 'last',
} as const satisfies Partial<Record<Command, Parameters<typeof moveIndex>[1]>>;

/** Runs a keyboard command. Returns false when it does not apply here (the key stays the browser's). */
export function runCommand(store: AppStore, command: Command): boolean {
  const { cache, focusIndex, selection } = store.snapshot;
  const grid = { columns: gridShape.columns, itemCount: cache.total };
  const move = (direction: Parameters<typeof moveIndex>[1]) => {
    const next = moveIndex(focusIndex, direction, grid);
    if (next >= 0) moveFocus(store, next);
    return true;
  };
  switch (command) {
    case 'move-left':
    case 'previous':
      return move('left');
    case 'move-right':
    case 'next':
      return move('right');
    case 'move-up':
      return move('up');
    case 'move-down':
      return move('down');
    case 'move-first':
      return move('first');
    case 'move-last':
      return move('last');
    case 'extend-left':
    case 'extend-right':
    case 'extend-up':
    case 'extend-down':
    case 'extend-first':
    case 'extend-last': {
      const direction = EXTEND_DIRECTIONS[command];
      const next = moveIndex(focusIndex, direction, grid);
      if (next >= 0) extendFocus(store, next);
      return true;
    }
    case 'open-editor':
    case 'focus-tag-input':
      openEditor(store);
      return true;
    case 'open-viewer':
      openViewer(store);
      return true;
    case 'leave':
      leave(store);
      return true;
    case 'toggle-select':
      if (focusIndex >= 0) clickTile(store, focusIndex, 'toggle');
      return focusIndex >= 0;
    case 'toggle-exclude': {
      const ids =
        selection.ids.size > 0
          ? [...selection.ids]
          : [cache.at(focusIndex)?.id].filter((id) => id !== undefined);
      store.toggleExcluded(ids);
      return true;
    }
    case 'select-all':
      store.update({
        selection: cache.complete
          ? selectIds(cache.loaded().map((record) => record.id))
          : selectAllMatching(),
        panel: 'bulk',
      });
      return true;
    case 'select-all-matching':
      store.update({ selection: selectAllMatching(), panel: 'bulk' });
      return true;
    case 'undo':
      void store.undo();
      return true;
    case 'redo':
      void store.redo();
      return true;
    case 'focus-filter':
      store.requestFocus('filter');
      return true;
    case 'show-shortcuts':
      store.update({ dialog: 'shortcuts' });
      return true;
  }
}
