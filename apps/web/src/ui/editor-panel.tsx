import { httpApi } from '../api/http-api.js';
import { planClearTags } from '../model/clear-tags.js';
import { formatCount } from '../model/format-count.js';
import { pendingOf } from '../model/proposal-view.js';
import { categoryClass, categoryOf } from '../model/tag-category.js';
import { tileFlags } from '../model/tile-flags.js';
import type { AppState, AppStore } from '../state/app-store.js';
import { runCommand } from '../state/grid-actions.js';
import { CaptionView } from './caption-view.js';
import { ProposalChips } from './proposal-chips.js';
import { TagChips } from './tag-chips.js';
import { TagInput } from './tag-input.js';

/** The single-image editor: a large preview beside the image's tags. */
export function EditorPanel({
  store,
  state,
  imageId,
}: {
  store: AppStore;
  state: AppState;
  imageId: string;
}) {
  const record = state.cache.get(imageId);
  const close = () => store.update({ panel: 'none', editorId: null });
  if (record === undefined) {
    return (
      <aside class="side-panel editor" aria-label="Image editor">
        <p class="muted">This image is no longer in view.</p>
        <button type="button" class="button" onClick={close}>
          Close
        </button>
      </aside>
    );
  }
  const flags = tileFlags(record);
  const triggerWord = store.triggerWord;
  const target = { ids: [record.id] };
  const clearOp = planClearTags(target, [record], triggerWord).op ?? null;
  return (
    <aside class="side-panel editor" aria-label={`Editing ${record.file}`} data-testid="editor">
      <div class="panel-header">
        <h2 class="panel-title" title={record.file}>
          {record.file}
        </h2>
        <div class="panel-header-actions">
          <button
            type="button"
            class="button ghost icon"
            aria-label="Previous image (k)"
            title="Previous (k)"
            onClick={() => runCommand(store, 'previous')}
          >
            ‹
          </button>
          <button
            type="button"
            class="button ghost icon"
            aria-label="Next image (j)"
            title="Next (j)"
            onClick={() => runCommand(store, 'next')}
          >
            ›
          </button>
          <button
            type="button"
            class="button ghost icon"
            aria-label="Close the editor (Esc)"
            title="Close (Esc)"
            onClick={close}
          >
            ✕
          </button>
        </div>
      </div>
      <button
        type="button"
        class="preview"
        aria-label="View the image large (v)"
        title="View large: zoom, pan, next and previous (v)"
        onClick={() => store.update({ viewer: true })}
      >
        <img
          class={
            Math.max(record.width, record.height) < 256
              ? 'preview-image pixelated'
              : 'preview-image'
          }
          src={httpApi.fileUrl(record.id, record.hash)}
          alt={`Preview of ${record.file}`}
        />
      </button>
      <div class="image-facts">
        <span>
          {record.width}×{record.height}
        </span>
        <span>{record.format.toUpperCase()}</span>
        <span>{formatCount(record.tags.length, 'tag')}</span>
        {flags.map((flag) => (
          <span key={flag.kind} class={`flag flag-${flag.kind}`} title={flag.description}>
            {flag.label}
          </span>
        ))}
        {record.source === undefined ? null : (
          <span class="image-source" data-testid="image-source" title={record.source.path}>
            from {record.source.path}
          </span>
        )}
      </div>
      <TagChips
        tags={record.tags}
        triggerWord={triggerWord}
        onRemove={(tag) => void store.applyOp({ type: 'remove', target, tags: [tag] })}
        onMove={(tag, index) =>
          void store.applyOp({ type: 'move', imageId: record.id, tag, index })
        }
        onRename={(tag, to) => void store.applyOp({ type: 'replace', target, from: tag, to })}
        categoryClassOf={(tag) => categoryClass(categoryOf(state.tagCounts, tag))}
      />
      <ProposalChips
        proposals={pendingOf(record)}
        rating={record.rating}
        onAccept={(tag) => void store.applyOp({ type: 'accept-proposals', target, tags: [tag] })}
        onReject={(tag) => void store.applyOp({ type: 'reject-proposals', target, tags: [tag] })}
      />
      <TagInput
        store={store}
        state={state}
        id="editor-tag-input"
        label="Add tags"
        placeholder="Type a tag, Enter to add (commas for several)"
        exclude={record.tags}
        takesFocusRequests
        onSubmit={(tags) => store.applyOp({ type: 'add', target, tags, position: 'end' })}
      />
      {/* After the tag input: Shift+Tab from the input goes back to the last chip. */}
      <CaptionView
        key={record.id}
        tags={record.tags}
        settings={state.dataset?.settings}
        onSet={(tags) => store.applyOp({ type: 'set', imageId: record.id, tags })}
      />
      <div class="panel-footer">
        <button
          type="button"
          class="button"
          disabled={clearOp === null}
          title={
            triggerWord === undefined
              ? 'Remove every tag of this image (one edit: Undo brings them back)'
              : `Remove every tag but the trigger word ${triggerWord} (one edit: Undo brings them back)`
          }
          onClick={() => clearOp !== null && void store.applyOp(clearOp)}
        >
          Clear tags
        </button>
        <button type="button" class="button" onClick={() => store.toggleExcluded([record.id])}>
          {record.excluded ? 'Restore to the dataset' : 'Exclude from training'} <kbd>x</kbd>
        </button>
      </div>
    </aside>
  );
}
