import type { AutoTagMode } from '@civtag/api-models';
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { type AutoTagForm, autoTagRequest, DEFAULT_AUTO_TAG_FORM } from '../model/auto-tag-job.js';
import { selectionSize, selectionTarget } from '../model/selection.js';
import type { AppState, AppStore } from '../state/app-store.js';
import { Modal } from './modal.js';
import { type Scope, ScopeChoice } from './scope-choice.js';

/** The form's text fields, in the order the dialog shows them. */
const TEXT_FIELDS: {
  field: 'general' | 'character' | 'exclude' | 'maxTags';
  id: string;
  label: string;
  numeric?: boolean;
}[] = [
  { field: 'general', id: 'autotag-general', label: 'General threshold (% or mcut)' },
  { field: 'character', id: 'autotag-character', label: 'Character threshold (% or mcut)' },
  { field: 'exclude', id: 'autotag-exclude', label: 'Never propose (comma-separated)' },
  {
    field: 'maxTags',
    id: 'autotag-max-tags',
    label: 'Most tags per image (empty: no limit)',
    numeric: true,
  },
];

const MODES: { mode: AutoTagMode; label: string }[] = [
  { mode: 'propose', label: 'Propose only (captions untouched)' },
  { mode: 'fill-empty', label: 'Fill images with no tags' },
  { mode: 'append', label: 'Append after each image’s own tags' },
];

/**
 * Starts a tagging job with the server's tagger over the selection or the filter: mode,
 * thresholds per category (a percentage or `mcut`), tags never proposed, the most tags per
 * image, rescore. Without a
 * tagger it says how to start the server with one. The job's progress shows in the tagging bar.
 */
export function AutoTagDialog({ store, state }: { store: AppStore; state: AppState }) {
  const { selection, cache, filter, tagging } = state;
  const selected = selectionSize(selection, cache.total);
  const [scope, setScope] = useState<Scope>(selected > 0 ? 'selection' : 'filter');
  const [form, setForm] = useState<AutoTagForm>(DEFAULT_AUTO_TAG_FORM);
  const [error, setError] = useState<string | null>(null);
  const effectiveScope = selected === 0 ? 'filter' : scope;
  const target =
    effectiveScope === 'filter'
      ? selectionTarget({ ids: new Set(), anchor: null, allMatching: true }, filter)
      : selectionTarget(selection, filter);

  const start = async () => {
    if (target === null) return;
    const built = autoTagRequest(form, target);
    if ('error' in built) {
      setError(built.error);
      return;
    }
    setError(null);
    if (await store.startAutoTag(built.request)) {
      store.update({ dialog: null });
      store.requestFocus('grid');
    }
  };

  if (tagging.tagger !== true) {
    return (
      <Modal store={store} title="Auto-tag">
        <p class="muted" data-testid="tagger-hint">
          {tagging.tagger === null
            ? 'Asking the server for its tagger…'
            : 'No tagger is loaded: start civtag serve with --model DIR (a WD14-style tagger folder) to tag images here.'}
        </p>
      </Modal>
    );
  }

  return (
    <Modal store={store} title="Auto-tag">
      <ScopeChoice
        legend="Tag"
        name="autotag-scope"
        scope={effectiveScope}
        onChange={setScope}
        selected={selected}
        filter={filter}
        total={cache.total}
        totalKnown={cache.totalKnown}
      />
      <fieldset class="field-group">
        <legend class="field-label">Mode</legend>
        {MODES.map(({ mode, label }) => (
          <label key={mode} class="radio">
            <input
              type="radio"
              name="autotag-mode"
              checked={form.mode === mode}
              onChange={() => setForm({ ...form, mode })}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <div class="autotag-thresholds">
        {TEXT_FIELDS.map(({ field, id, label, numeric }) => (
          <Fragment key={field}>
            <label class="field-label" for={id}>
              {label}
            </label>
            <input
              id={id}
              class="text-input"
              type="text"
              inputMode={numeric ? 'numeric' : undefined}
              autocomplete="off"
              value={form[field]}
              onInput={(event) => setForm({ ...form, [field]: event.currentTarget.value })}
            />
          </Fragment>
        ))}
      </div>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={form.rescore}
          onChange={(event) => setForm({ ...form, rescore: event.currentTarget.checked })}
        />
        Score again images this tagger scored before
      </label>
      {error === null ? null : (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      <p class="muted">
        The tagger proposes; nothing written by hand is rewritten. Proposals show beside each
        image’s tags as they come.
      </p>
      <div class="modal-actions">
        <button
          type="button"
          class="button primary"
          disabled={target === null}
          onClick={() => void start()}
        >
          Start tagging
        </button>
      </div>
    </Modal>
  );
}
