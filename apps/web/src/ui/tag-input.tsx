import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatNumber } from '../model/format-count.js';
import {
  type ListPlacement,
  listStyle,
  placeList,
  samePlacement,
} from '../model/list-placement.js';
import { categoryClass } from '../model/tag-category.js';
import type { AppState, AppStore } from '../state/app-store.js';

interface TagInputProps {
  store: AppStore;
  state: AppState;
  /** Unique id; the label and the suggestion list are named after it. */
  id: string;
  label: string;
  placeholder: string;
  /** Tags already present: not suggested again. */
  exclude?: readonly string[];
  /** Takes the focus when the app asks for the tag input. */
  takesFocusRequests?: boolean;
  /**
   * Called with the tags typed (split on commas), trimmed and non-empty. When it resolves
   * `false` (the edit was refused), the text comes back so it can be corrected.
   */
  onSubmit: (tags: string[]) => Promise<boolean>;
  /** Submit when the field loses focus or on every change (bulk forms); default false. */
  reportDraft?: (text: string) => void;
}

/**
 * A tag field with autocomplete (`suggestTags` over the dataset's tags and the vocabulary, in
 * the dataset's tag style):
 * ↑/↓ pick a suggestion, Enter adds it, Tab completes it, Enter alone adds what is typed (commas
 * separate several tags), Esc closes the list, then leaves the field.
 */
export function TagInput(props: TagInputProps) {
  const { store, state, id } = props;
  const [text, setText] = useState('');
  const [highlight, setHighlight] = useState(-1);
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);
  // Where the open list goes: below the input, or above it when there is no room below.
  const [placement, setPlacement] = useState<ListPlacement | null>(null);
  const lastWord = text.split(',').pop()?.trim() ?? '';
  // Suggestions come in the dataset's tag style: what is inserted is the form that is stored.
  const tagStyle = state.dataset?.settings.tagStyle;
  const suggestions = open
    ? store.suggestions.suggest(lastWord, state.tagCounts, {
        exclude: props.exclude ?? [],
        ...(tagStyle === undefined ? {} : { tagStyle }),
      })
    : [];

  useLayoutEffect(() => {
    if (props.takesFocusRequests && state.focusRequest?.target === 'tag-input')
      input.current?.focus();
  }, [state.focusRequest]);

  // Measured before the list is painted: it is placed in the viewport (not clipped by the
  // scrolling panel), below the input or, when its suggestions do not fit there, above it.
  useLayoutEffect(() => {
    const field = input.current;
    const shown = list.current;
    if (field === null || shown === null) {
      if (placement !== null) setPlacement(null);
      return;
    }
    const next = placeList(field.getBoundingClientRect(), shown.scrollHeight, window.innerHeight);
    if (!samePlacement(placement, next)) setPlacement(next);
  });

  const change = (next: string) => {
    setText(next);
    setHighlight(-1);
    setOpen(true);
    props.reportDraft?.(next);
  };
  const take = (tag: string) => {
    const parts = text.split(',');
    parts[parts.length - 1] = ` ${tag}`;
    change(`${parts.join(',').trimStart()}, `);
  };
  const submit = (chosen?: string) => {
    const parts = text.split(',');
    if (chosen !== undefined) parts[parts.length - 1] = chosen;
    const tags = parts.map((tag) => tag.trim()).filter((tag) => tag !== '');
    if (tags.length === 0) return;
    const typed = parts.join(',');
    const outcome = props.onSubmit(tags);
    setText('');
    setOpen(false);
    props.reportDraft?.('');
    void outcome.then((accepted) => {
      if (accepted) return;
      setText((current) => (current === '' ? typed : current));
      props.reportDraft?.(typed);
    });
  };
  const listId = `${id}-suggestions`;
  const active =
    highlight >= 0 && highlight < suggestions.length ? `${id}-option-${highlight}` : undefined;

  return (
    <div class="tag-input">
      <label for={id} class="field-label">
        {props.label}
      </label>
      <input
        id={id}
        ref={input}
        class="text-input"
        type="text"
        role="combobox"
        autocomplete="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={suggestions.length > 0}
        aria-controls={listId}
        aria-activedescendant={active}
        placeholder={props.placeholder}
        value={text}
        onFocus={() => store.wantVocabulary()}
        onInput={(event) => change(event.currentTarget.value)}
        onBlur={() => setTimeout(() => setOpen(false), 120)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && suggestions.length > 0) {
            event.preventDefault();
            setHighlight((highlight + 1) % suggestions.length);
          } else if (event.key === 'ArrowUp' && suggestions.length > 0) {
            event.preventDefault();
            setHighlight(highlight <= 0 ? suggestions.length - 1 : highlight - 1);
          } else if (event.key === 'Tab' && active !== undefined) {
            event.preventDefault();
            take(suggestions[highlight]!.tag);
          } else if (event.key === 'Enter' && active !== undefined) {
            event.preventDefault();
            submit(suggestions[highlight]!.tag);
          } else if (event.key === 'Enter') {
            event.preventDefault();
            submit();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            if (suggestions.length > 0) setOpen(false);
            else store.requestFocus('grid');
          }
        }}
      />
      {suggestions.length > 0 ? (
        <div
          id={listId}
          ref={list}
          class={`suggestions ${placement?.side === 'above' ? 'above' : 'below'}`}
          role="listbox"
          aria-label="Suggested tags"
          style={placement === null ? undefined : listStyle(placement)}
        >
          {suggestions.map((suggestion, index) => (
            <div
              key={suggestion.tag}
              tabIndex={-1}
              id={`${id}-option-${index}`}
              role="option"
              aria-selected={index === highlight}
              class={index === highlight ? 'suggestion active' : 'suggestion'}
              onMouseDown={(event) => {
                event.preventDefault();
                submit(suggestion.tag);
              }}
            >
              <span class={`suggestion-tag ${categoryClass(suggestion.category)}`}>
                {suggestion.alias === undefined ? null : (
                  <span class="suggestion-alias">{suggestion.alias} → </span>
                )}
                {suggestion.tag}
              </span>
              <span class="suggestion-counts">
                {suggestion.source === 'dataset' ? (
                  <span class="suggestion-count source-dataset" title="Images of this dataset">
                    {formatNumber(suggestion.count)}
                  </span>
                ) : null}
                {suggestion.source === 'vocabulary' || suggestion.vocabularyCount !== undefined ? (
                  <span class="suggestion-count source-vocabulary" title="Posts in the vocabulary">
                    vocab{' '}
                    {formatNumber(
                      suggestion.source === 'vocabulary'
                        ? suggestion.count
                        : (suggestion.vocabularyCount ?? 0),
                    )}
                  </span>
                ) : null}
              </span>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
