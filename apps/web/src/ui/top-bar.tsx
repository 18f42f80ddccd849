import { formatCount } from '../model/format-count.js';
import type { AppState, AppStore } from '../state/app-store.js';
import { FilterBox } from './filter-box.js';
import { StatusIndicator } from './status-indicator.js';

/** The bar across the top: dataset, filter, history, settings, import/export, status, help. */
export function TopBar({ store, state }: { store: AppStore; state: AppState }) {
  const { dataset, cache } = state;
  return (
    <header class="top-bar">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">
          ◆
        </span>
        <span class="brand-name">civtag</span>
        {dataset !== null ? (
          <span class="dataset-name" title={`Dataset ${dataset.id}`}>
            {dataset.settings.prefix}
            <span class="muted"> · {formatCount(dataset.imageCount, 'image')}</span>
            {dataset.settings.triggerWord !== undefined ? (
              <span
                class="trigger-badge"
                title="Trigger word: kept first in every caption"
                data-testid="trigger-word"
              >
                {dataset.settings.triggerWord}
              </span>
            ) : null}
          </span>
        ) : null}
      </div>
      <FilterBox store={store} state={state} />
      <div class="top-actions">
        <span class="match-count" aria-live="polite">
          {state.filter === ''
            ? ''
            : `${cache.totalKnown ? '' : '≥ '}${formatCount(cache.total, 'match', 'matches')}`}
        </span>
        <button
          type="button"
          class="button ghost"
          onClick={() => void store.undo()}
          disabled={state.dataset?.canUndo === false}
          title="Undo (Ctrl+Z)"
        >
          ↶ Undo
        </button>
        <button
          type="button"
          class="button ghost"
          onClick={() => void store.redo()}
          disabled={state.dataset?.canRedo === false}
          title="Redo (Ctrl+Shift+Z)"
        >
          ↷ Redo
        </button>
        <button
          type="button"
          class="button"
          onClick={() => store.update({ dialog: 'settings' })}
          disabled={dataset === null}
          title="Trigger word, name prefix, tag style, kohya repeats"
        >
          Settings
        </button>
        <button
          type="button"
          class="button"
          onClick={() => store.update({ dialog: 'autotag' })}
          title={
            state.tagging.tagger === false
              ? 'No tagger: start civtag serve with --model DIR'
              : 'Propose tags with the server’s tagger'
          }
        >
          Auto-tag
        </button>
        <button
          type="button"
          class="button"
          onClick={() => store.update({ dialog: 'duplicates' })}
          title="Images that look alike: keep one of each"
        >
          Duplicates
        </button>
        <button type="button" class="button" onClick={() => store.update({ dialog: 'import' })}>
          Import
        </button>
        <button
          type="button"
          class="button primary"
          onClick={() => store.update({ dialog: 'export' })}
        >
          Check &amp; export
        </button>
        <StatusIndicator
          status={state.status}
          pending={state.pending}
          captions={state.captions}
          held={state.held}
        />
        <button
          type="button"
          class="button ghost icon"
          onClick={() => store.update({ dialog: 'shortcuts' })}
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
        >
          ?
        </button>
      </div>
    </header>
  );
}
