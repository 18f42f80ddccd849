import type { ImageRecord, TagOp, Target } from '@civtag/api-models';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { type BulkAction, buildBulkOp } from '../model/bulk-op.js';
import { previewBulkOp } from '../model/bulk-preview.js';
import { planClearTags } from '../model/clear-tags.js';
import { formatCount } from '../model/format-count.js';
import { patternRenames } from '../model/pattern-rename.js';
import { selectionSize, selectionTarget } from '../model/selection.js';
import type { AppState, AppStore } from '../state/app-store.js';
import { SampleTags } from './sample-tags.js';
import { type Scope, ScopeChoice } from './scope-choice.js';
import { TagInput } from './tag-input.js';

/** The bulk actions, as the segmented control names them. */
const ACTION_LABELS: Record<BulkAction, string> = {
  add: 'Add',
  remove: 'Remove',
  replace: 'Replace / rename',
  pattern: 'Pattern',
  normalize: 'Normalise',
  accept: 'Accept proposals',
  clear: 'Clear tags',
};

/** The renames a pattern's preview lists; the count says how many more. */
const PATTERN_SAMPLES = 12;

/** The verb of the toast that says an action was sent. */
const ACTION_VERBS: Record<BulkAction, string> = {
  add: 'Bulk add',
  remove: 'Bulk remove',
  replace: 'Bulk replace',
  pattern: 'Pattern rename',
  normalize: 'Normalise',
  accept: 'Accept proposals',
  clear: 'Clear tags',
};

/**
 * Bulk edit on the selection or on everything matching the filter: add (at the start or the
 * end), remove, replace/rename, normalise tag forms — with a preview of how many images change,
 * computed by `applyTagOp` with the dataset's options over the records (all pages of the filter
 * are loaded for it), so it counts what the server will do.
 */
export function BulkPanel({ store, state }: { store: AppStore; state: AppState }) {
  const { cache, selection, filter } = state;
  const request = state.bulkRequest;
  const [scope, setScope] = useState<Scope>(
    selection.allMatching || request !== null ? 'filter' : 'selection',
  );
  const [action, setAction] = useState<BulkAction>(request?.action ?? 'add');
  // Opened (or asked again) on an action, from the settings dialog: take it, then forget it.
  useEffect(() => {
    if (request === null) return;
    setAction(request.action);
    setScope('filter');
    store.update({ bulkRequest: null });
  }, [request]);
  // Bumped after each apply: the tag field starts empty again.
  const [applied, setApplied] = useState(0);
  const [fields, setFields] = useState({
    tags: '',
    position: 'end' as 'start' | 'end',
    from: '',
    to: '',
    minScore: '50',
    pattern: '',
    replacement: '',
    ignoreCase: true,
  });
  const selected = selectionSize(selection, cache.total);
  const effectiveScope = selected === 0 ? 'filter' : scope;
  const target: Target | null =
    effectiveScope === 'filter'
      ? selectionTarget({ ids: new Set(), anchor: null, allMatching: true }, filter)
      : selectionTarget(selection, filter);

  useEffect(() => {
    if ((effectiveScope === 'filter' || selection.allMatching) && !cache.complete)
      store.ensureLoaded(Number.POSITIVE_INFINITY);
  }, [effectiveScope, cache, selection.allMatching]);

  const counting = (effectiveScope === 'filter' || selection.allMatching) && !cache.complete;
  const targetKey = target === null ? '' : JSON.stringify(target);
  // The records in scope, once every page of them is loaded.
  const records = useMemo((): ImageRecord[] | null => {
    if (counting || target === null) return null;
    if ('ids' in target) {
      return target.ids.map((id) => cache.get(id)).filter((record) => record !== undefined);
    }
    return cache.loaded();
  }, [targetKey, counting, cache, state.cacheVersion]);
  // A pattern is tried on the distinct tags in scope, here in the page.
  const renamed = useMemo(() => {
    if (action !== 'pattern' || records === null) return null;
    return patternRenames(
      (function* () {
        for (const record of records) yield* record.tags;
      })(),
      fields.pattern,
      fields.replacement,
      { ignoreCase: fields.ignoreCase },
    );
  }, [action, records, fields.pattern, fields.replacement, fields.ignoreCase]);
  // Clearing names every tag the images hold, so it waits for every page of the filter.
  const clearPlan =
    action === 'clear' && target !== null && records !== null
      ? planClearTags(target, records, store.triggerWord)
      : null;
  const op =
    target === null
      ? null
      : action === 'clear'
        ? (clearPlan?.op ?? null)
        : buildBulkOp(
            action,
            target,
            fields,
            renamed !== null && 'renames' in renamed ? renamed.renames : undefined,
          );
  // Recounted only when the op or the records change, not on every render (100k records).
  const opKey = op === null ? '' : JSON.stringify(op);
  const preview = useMemo(() => {
    if (op === null || records === null) return null;
    return previewBulkOp(records, op, {
      tagOpOptions: store.tagOpOptions,
      // The records of a filter scope are every page of the grid's filter: the target's query.
      recordsMatchQuery: target !== null && !('ids' in target),
    });
  }, [opKey, records, state.dataset?.settings]);
  const scopeCount = effectiveScope === 'filter' ? cache.total : selected;

  const apply = async (chosen: TagOp | null = op): Promise<boolean> => {
    if (chosen === null || target === null) return false;
    const changed = preview?.changed;
    const accepted = await store.applyOp(chosen);
    if (accepted) {
      store.notifyInfo(
        `${ACTION_VERBS[action]} sent${changed === undefined ? '' : `: ${formatCount(changed, 'image')} to change`}`,
      );
      setFields({ ...fields, tags: '', from: '', to: '', pattern: '', replacement: '' });
      setApplied(applied + 1);
    }
    return accepted;
  };

  return (
    <aside class="side-panel bulk" aria-label="Bulk edit" data-testid="bulk-panel">
      <div class="panel-header">
        <h2 class="panel-title">Bulk edit</h2>
        <button
          type="button"
          class="button ghost icon"
          aria-label="Close bulk edit (Esc)"
          onClick={() => store.update({ panel: 'none' })}
        >
          ✕
        </button>
      </div>
      <ScopeChoice
        legend="Apply to"
        name="bulk-scope"
        scope={effectiveScope}
        onChange={setScope}
        selected={selected}
        filter={filter}
        total={cache.total}
        totalKnown={cache.totalKnown}
      />
      <fieldset class="segmented">
        <legend class="visually-hidden">Bulk action</legend>
        {(['add', 'remove', 'replace', 'pattern', 'normalize', 'accept', 'clear'] as const).map(
          (name) => (
            <label key={name} class={action === name ? 'segment active' : 'segment'}>
              <input
                class="visually-hidden"
                type="radio"
                name="bulk-action"
                checked={action === name}
                onChange={() => setAction(name)}
              />
              {ACTION_LABELS[name]}
            </label>
          ),
        )}
      </fieldset>
      {action === 'accept' ? (
        <div class="accept-fields">
          <label class="field-label" for="bulk-min-score">
            Accept proposals scoring at least (%)
          </label>
          <input
            id="bulk-min-score"
            class="text-input"
            type="number"
            min={0}
            max={100}
            step={1}
            value={fields.minScore}
            onInput={(event) => setFields({ ...fields, minScore: event.currentTarget.value })}
            onKeyDown={(event) => event.key === 'Enter' && void apply()}
          />
          <p class="muted bulk-explanation">
            The tagger's proposals become tags, after each image's own; Undo takes them back and
            proposes them again.
          </p>
        </div>
      ) : action === 'clear' ? (
        <p class="muted bulk-explanation" data-testid="clear-explanation">
          Removes every tag of these images
          {store.triggerWord === undefined ? '' : ` but the trigger word (${store.triggerWord})`},
          as one edit: Undo puts every tag back in its place.
          {clearPlan !== null && 'problem' in clearPlan ? (
            <span class="error-text"> {clearPlan.problem}</span>
          ) : null}
        </p>
      ) : action === 'normalize' ? (
        <p class="muted bulk-explanation" data-testid="normalize-explanation">
          Rewrites tags in the dataset's style (
          {(state.dataset?.settings.tagStyle.separator ?? 'space') === 'space' ? (
            <code>long hair</code>
          ) : (
            <code>long_hair</code>
          )}
          ) and merges the forms of one tag (<code>blue_eyes</code>, <code>Blue eyes</code>) into
          the one most used. Undo puts every form back.
        </p>
      ) : action === 'pattern' ? (
        <div class="replace-fields">
          <label class="field-label" for="bulk-pattern">
            Tags matching (regular expression)
          </label>
          <input
            id="bulk-pattern"
            class="text-input mono"
            type="text"
            autocomplete="off"
            spellcheck={false}
            placeholder="^(.+)_hair$"
            value={fields.pattern}
            onInput={(event) => setFields({ ...fields, pattern: event.currentTarget.value })}
          />
          <label class="field-label" for="bulk-replacement">
            become ($1 for a group; empty removes the tag)
          </label>
          <input
            id="bulk-replacement"
            class="text-input mono"
            type="text"
            autocomplete="off"
            spellcheck={false}
            placeholder="$1 hair"
            value={fields.replacement}
            onInput={(event) => setFields({ ...fields, replacement: event.currentTarget.value })}
            onKeyDown={(event) => event.key === 'Enter' && void apply()}
          />
          <label class="checkbox">
            <input
              type="checkbox"
              checked={fields.ignoreCase}
              onChange={(event) =>
                setFields({ ...fields, ignoreCase: event.currentTarget.checked })
              }
            />
            Ignore case
          </label>
          {renamed === null ? null : 'error' in renamed ? (
            <p class="error-text" role="alert">
              {renamed.error}
            </p>
          ) : (
            <div data-testid="pattern-renames">
              <p class="muted">
                {renamed.renames.length === 0
                  ? 'No tag here matches.'
                  : `${formatCount(renamed.renames.length, 'tag')} renamed:`}
              </p>
              <ul class="rename-list">
                {renamed.renames.slice(0, PATTERN_SAMPLES).map((rename) => (
                  <li key={rename.from}>
                    <span class="rename-from">{rename.from}</span> →{' '}
                    {rename.to === '' ? (
                      <em class="muted">removed</em>
                    ) : (
                      <span class="rename-to">{rename.to}</span>
                    )}
                  </li>
                ))}
                {renamed.renames.length > PATTERN_SAMPLES ? (
                  <li class="muted">and {renamed.renames.length - PATTERN_SAMPLES} more</li>
                ) : null}
              </ul>
            </div>
          )}
        </div>
      ) : action === 'replace' ? (
        <div class="replace-fields">
          <label class="field-label" for="bulk-from">
            Replace tag
          </label>
          <input
            id="bulk-from"
            class="text-input"
            type="text"
            autocomplete="off"
            value={fields.from}
            onInput={(event) => setFields({ ...fields, from: event.currentTarget.value })}
          />
          <label class="field-label" for="bulk-to">
            with
          </label>
          <input
            id="bulk-to"
            class="text-input"
            type="text"
            autocomplete="off"
            value={fields.to}
            onInput={(event) => setFields({ ...fields, to: event.currentTarget.value })}
            onKeyDown={(event) => event.key === 'Enter' && void apply()}
          />
        </div>
      ) : (
        <TagInput
          key={`${action}-${applied}`}
          store={store}
          state={state}
          id="bulk-tags"
          label={action === 'add' ? 'Tags to add' : 'Tags to remove'}
          placeholder="tag, another tag"
          reportDraft={(text) => setFields((current) => ({ ...current, tags: text }))}
          onSubmit={(tags) =>
            apply(
              target === null
                ? null
                : buildBulkOp(action, target, { ...fields, tags: tags.join(',') }),
            )
          }
        />
      )}
      {action === 'add' ? (
        <fieldset class="field-group inline">
          <legend class="field-label">Position</legend>
          <label class="radio">
            <input
              type="radio"
              name="bulk-position"
              checked={fields.position === 'start'}
              onChange={() => setFields({ ...fields, position: 'start' })}
            />
            at the start (after the trigger word)
          </label>
          <label class="radio">
            <input
              type="radio"
              name="bulk-position"
              checked={fields.position === 'end'}
              onChange={() => setFields({ ...fields, position: 'end' })}
            />
            at the end
          </label>
        </fieldset>
      ) : null}
      <div class="bulk-preview" aria-live="polite" data-testid="bulk-preview">
        {counting ? (
          <p class="muted">
            Counting: loading {cache.loadedCount.toLocaleString()} of{' '}
            {formatCount(cache.total, 'image')}…
          </p>
        ) : preview === null ? (
          <p class="muted">
            Type what to change; the preview shows how many of the{' '}
            {formatCount(scopeCount, 'image')} it changes.
          </p>
        ) : preview.problem !== undefined ? (
          <p class="error-text">{preview.problem}</p>
        ) : (
          <>
            {action === 'accept' ? (
              <p class="preview-count" data-testid="accept-preview">
                <strong>{formatCount(preview.tagsAdded, 'proposal')}</strong> accepted on{' '}
                {preview.changed.toLocaleString()} of {formatCount(preview.considered, 'image')}
              </p>
            ) : (
              <p class="preview-count">
                <strong>{preview.changed.toLocaleString()}</strong> of{' '}
                {formatCount(preview.considered, 'image')} will change
              </p>
            )}
            {action === 'accept' && preview.changed === 0 ? (
              <p class="muted">No pending proposal of these images scores that high.</p>
            ) : null}
            {action === 'normalize' && preview.changed === 0 ? (
              <p class="muted">Every tag here is already in one form, the dataset's.</p>
            ) : null}
            <ul class="preview-samples">
              {preview.samples.map((sample) => (
                <li key={sample.imageId}>
                  <span class="muted">{cache.get(sample.imageId)?.file ?? sample.imageId}</span>{' '}
                  <SampleTags before={sample.before} after={sample.after} />
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <button
        type="button"
        class="button primary wide"
        disabled={
          op === null || counting || preview?.changed === 0 || preview?.problem !== undefined
        }
        onClick={() => void apply()}
      >
        {action === 'accept' && preview !== null
          ? `Accept ${formatCount(preview.tagsAdded, 'proposal')}`
          : `Apply to ${formatCount(preview === null ? scopeCount : preview.changed, 'image')}`}
      </button>
    </aside>
  );
}
