import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { checkQuery } from '../model/query-feedback.js';
import type { AppState, AppStore } from '../state/app-store.js';

const APPLY_DELAY_MS = 350;

/**
 * The filter box: the query language of `@civtag/tags`. A valid query applies as you type; a
 * wrong one is underlined where it goes wrong, with the parser's message.
 */
export function FilterBox({ store, state }: { store: AppStore; state: AppState }) {
  const [draft, setDraft] = useState(state.filter);
  const input = useRef<HTMLInputElement>(null);
  const feedback = checkQuery(draft);

  useEffect(() => setDraft(state.filter), [state.filter]);
  useLayoutEffect(() => {
    if (state.focusRequest?.target === 'filter') input.current?.focus();
  }, [state.focusRequest]);
  useEffect(() => {
    if (!feedback.valid || draft.trim() === state.filter) return;
    const timer = setTimeout(() => store.setFilter(draft), APPLY_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  return (
    <div class="filter">
      <label class="visually-hidden" for="filter-input">
        Filter images
      </label>
      <div class={`filter-field${feedback.valid ? '' : ' invalid'}`}>
        <span class="filter-icon" aria-hidden="true">
          ⌕
        </span>
        <input
          id="filter-input"
          ref={input}
          class="filter-input"
          type="search"
          autocomplete="off"
          spellcheck={false}
          placeholder='Filter (/): has:proposals, untagged, tags<5, "long hair" NOT hat'
          title="Filter: tags (quote those with spaces), AND, OR, NOT, ( ), tags<5, untagged, has:proposals (proposals still to decide), has:near-duplicates (looks like another image), is:excluded, width<768, height>=1024, format:png, name:…, source:…, id:…"
          value={draft}
          aria-invalid={!feedback.valid}
          aria-describedby={feedback.valid ? undefined : 'filter-error'}
          onInput={(event) => setDraft(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              store.setFilter(draft);
            } else if (event.key === 'Escape') {
              event.preventDefault();
              if (draft !== '') {
                event.stopPropagation();
                setDraft('');
                store.setFilter('');
              } else {
                store.requestFocus('grid');
              }
            }
          }}
        />
      </div>
      {feedback.valid ? null : (
        <div id="filter-error" class="filter-error" role="alert">
          <code class="filter-echo">
            {feedback.before}
            <mark>{feedback.at}</mark>
            {feedback.after}
          </code>
          <span>
            {feedback.message} (at character {feedback.position + 1})
          </span>
        </div>
      )}
    </div>
  );
}
