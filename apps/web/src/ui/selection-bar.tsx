import { formatCount } from '../model/format-count.js';
import { selectAllMatching, selectionSize } from '../model/selection.js';
import type { AppState, AppStore } from '../state/app-store.js';
import { runCommand } from '../state/grid-actions.js';

/** Above the grid: how many are selected, and the selection's actions. */
export function SelectionBar({ store, state }: { store: AppStore; state: AppState }) {
  const { selection, cache, filter } = state;
  const count = selectionSize(selection, cache.total);
  const scope = filter === '' ? 'all' : 'all matching';
  return (
    <div class="selection-bar" aria-live="polite">
      <span class="selection-count" data-testid="selection-count">
        {count === 0
          ? `${cache.totalKnown ? '' : '≥ '}${formatCount(cache.total, 'image')}`
          : selection.allMatching
            ? `All ${formatCount(cache.total, filter === '' ? 'image' : 'matching image')} selected`
            : `${count.toLocaleString()} selected`}
      </span>
      <button type="button" class="link-button" onClick={() => runCommand(store, 'select-all')}>
        Select {scope}
      </button>
      {count > 0 ? (
        <>
          <button
            type="button"
            class="link-button"
            onClick={() =>
              store.update({ selection: { ids: new Set(), anchor: null, allMatching: false } })
            }
          >
            Clear selection
          </button>
          <button
            type="button"
            class="button small"
            onClick={() => store.update({ panel: 'bulk' })}
          >
            Bulk edit {count.toLocaleString()}…
          </button>
          <button
            type="button"
            class="button small ghost"
            onClick={() => runCommand(store, 'toggle-exclude')}
            disabled={selection.allMatching}
            title="Exclude the selected images (x)"
          >
            Exclude / restore
          </button>
        </>
      ) : (
        <button
          type="button"
          class="link-button"
          onClick={() => store.update({ selection: selectAllMatching(), panel: 'bulk' })}
        >
          Bulk edit {scope}…
        </button>
      )}
      <button
        type="button"
        class="link-button"
        aria-pressed={state.tileText === 'tags'}
        title="Show each image's first tags under its tile instead of its file name"
        onClick={() => store.setTileText(state.tileText === 'tags' ? 'file' : 'tags')}
      >
        {state.tileText === 'tags' ? 'Show file names' : 'Show tags'}
      </button>
      <span class="hint">
        Click, Shift-click, Ctrl/⌘-click to select · <kbd>Enter</kbd> edit · <kbd>?</kbd> shortcuts
      </span>
    </div>
  );
}
