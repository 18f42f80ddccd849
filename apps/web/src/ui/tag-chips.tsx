import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { dropIndex, isPinned } from '../model/chip-order.js';

interface TagChipsProps {
  tags: readonly string[];
  triggerWord: string | undefined;
  onRemove: (tag: string) => void;
  onMove: (tag: string, index: number) => void;
  /** Renames one tag of the image in place (a `replace` op on it): it keeps its position. */
  onRename: (tag: string, to: string) => void;
  /** The CSS class of a tag's vocabulary category ('' for none). */
  categoryClassOf?: (tag: string) => string;
}

/**
 * An image's tags as chips: × removes one, dragging reorders (a `move` op), Alt+←/→ moves the
 * focused chip, Delete removes it, a click or Enter edits its text in place (Enter or leaving
 * the field renames it, Esc keeps it). The trigger word is pinned first. Tab stops on the
 * chips themselves, not on their × (which Delete stands for), so Shift+Tab from the tag input
 * lands on the last chip.
 */
export function TagChips({
  tags,
  triggerWord,
  onRemove,
  onMove,
  onRename,
  categoryClassOf,
}: TagChipsProps) {
  const [dragged, setDragged] = useState<string | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const [editing, setEditingState] = useState<string | null>(null);
  // The chip being edited, read by the field's blur (which may follow its own Enter or Esc).
  const editingNow = useRef<string | null>(null);
  const setEditing = (tag: string | null) => {
    editingNow.current = tag;
    setEditingState(tag);
  };
  // After an edit, the chip it left (renamed or not) gets the focus back.
  const [focusAfterEdit, setFocusAfterEdit] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  useLayoutEffect(() => {
    if (focusAfterEdit === null) return;
    const chip = [...(list.current?.querySelectorAll<HTMLElement>('.chip') ?? [])].find(
      (element) => element.dataset.tag === focusAfterEdit,
    );
    chip?.querySelector<HTMLElement>('.chip-label')?.focus();
    setFocusAfterEdit(null);
  });
  const finishEdit = (tag: string, text: string | null) => {
    if (editingNow.current !== tag) return;
    setEditing(null);
    const to = text?.trim() ?? '';
    if (to !== '' && to !== tag) {
      onRename(tag, to);
      setFocusAfterEdit(to);
    } else setFocusAfterEdit(tag);
  };
  if (tags.length === 0) {
    return <p class="chips-empty">No tags yet: this image gets no caption file. Add some below.</p>;
  }
  return (
    <>
      <p id="chip-keys" class="visually-hidden">
        Enter edits the tag; Alt+Left or Alt+Right moves it; Delete removes it.
      </p>
      <ul class="chips" aria-label="Tags of this image, in caption order" ref={list}>
        {tags.map((tag, index) => {
          const pinned = isPinned(tags, tag, triggerWord);
          const classes = ['chip'];
          if (pinned) classes.push('pinned');
          const category = categoryClassOf?.(tag) ?? '';
          if (category !== '') classes.push(category);
          if (dragged === tag) classes.push('dragging');
          if (over === index && dragged !== null && dragged !== tag) classes.push('drop-target');
          return (
            <li
              key={tag}
              class={classes.join(' ')}
              draggable={!pinned && editing !== tag}
              data-tag={tag}
              onDragStart={(event) => {
                setDragged(tag);
                event.dataTransfer?.setData('text/plain', tag);
                if (event.dataTransfer !== null) event.dataTransfer.effectAllowed = 'move';
              }}
              onDragOver={(event) => {
                if (dragged === null) return;
                event.preventDefault();
                setOver(index);
              }}
              onDrop={(event) => {
                event.preventDefault();
                const moving = dragged;
                setDragged(null);
                setOver(null);
                if (moving === null) return;
                const target = dropIndex(tags, { tag: moving, overIndex: index }, triggerWord);
                if (target !== null) onMove(moving, target);
              }}
              onDragEnd={() => {
                setDragged(null);
                setOver(null);
              }}
            >
              {pinned ? (
                <span class="chip-pin" aria-hidden="true" title="Trigger word: always first">
                  ★
                </span>
              ) : null}
              {editing === tag ? (
                <input
                  class="chip-edit"
                  type="text"
                  aria-label={`Edit tag ${tag}`}
                  spellcheck={false}
                  autocomplete="off"
                  // Not `value`: the chips re-render as tag counts refresh, which would put
                  // the text being typed back to the tag.
                  defaultValue={tag}
                  ref={(element) => element?.focus()}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') {
                      event.preventDefault();
                      finishEdit(tag, event.currentTarget.value);
                    } else if (event.key === 'Escape') {
                      event.preventDefault();
                      event.stopPropagation();
                      finishEdit(tag, null);
                    }
                  }}
                  onBlur={(event) => finishEdit(tag, event.currentTarget.value)}
                />
              ) : (
                <button
                  type="button"
                  class="chip-label"
                  aria-label={`${tag}${pinned ? ', trigger word, pinned first' : ''}`}
                  aria-describedby="chip-keys"
                  title={
                    pinned
                      ? 'Trigger word: always first'
                      : 'Click or Enter to edit; drag to reorder; Alt+←/→ moves, Delete removes'
                  }
                  onClick={() => {
                    if (!pinned) setEditing(tag);
                  }}
                  onKeyDown={(event) => {
                    if (event.altKey && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
                      event.preventDefault();
                      event.stopPropagation();
                      const step = event.key === 'ArrowLeft' ? -1 : 1;
                      const target = dropIndex(tags, { tag, overIndex: index + step }, triggerWord);
                      if (target !== null) onMove(tag, target);
                    } else if (event.key === 'Delete' || event.key === 'Backspace') {
                      event.preventDefault();
                      event.stopPropagation();
                      onRemove(tag);
                    }
                  }}
                >
                  {tag}
                </button>
              )}
              <button
                type="button"
                class="chip-remove"
                tabIndex={-1}
                aria-label={`Remove tag ${tag}`}
                title="Remove"
                onClick={() => onRemove(tag)}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
