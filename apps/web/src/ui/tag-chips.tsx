import { useState } from 'preact/hooks';
import { dropIndex, isPinned } from '../model/chip-order.js';

interface TagChipsProps {
  tags: readonly string[];
  triggerWord: string | undefined;
  onRemove: (tag: string) => void;
  onMove: (tag: string, index: number) => void;
}

/**
 * An image's tags as chips: × removes one, dragging reorders (a `move` op), Alt+←/→ moves the
 * focused chip, Delete removes it. The trigger word is pinned first.
 */
export function TagChips({ tags, triggerWord, onRemove, onMove }: TagChipsProps) {
  const [dragged, setDragged] = useState<string | null>(null);
  const [over, setOver] = useState<number | null>(null);
  if (tags.length === 0) {
    return <p class="chips-empty">No tags yet: this image gets no caption file. Add some below.</p>;
  }
  return (
    <>
      <p id="chip-keys" class="visually-hidden">
        Alt+Left or Alt+Right moves the tag; Delete removes it.
      </p>
      <ul class="chips" aria-label="Tags of this image, in caption order">
        {tags.map((tag, index) => {
          const pinned = isPinned(tags, tag, triggerWord);
          const classes = ['chip'];
          if (pinned) classes.push('pinned');
          if (dragged === tag) classes.push('dragging');
          if (over === index && dragged !== null && dragged !== tag) classes.push('drop-target');
          return (
            <li
              key={tag}
              class={classes.join(' ')}
              draggable={!pinned}
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
              <button
                type="button"
                class="chip-label"
                aria-label={`${tag}${pinned ? ', trigger word, pinned first' : ''}`}
                aria-describedby="chip-keys"
                title={
                  pinned
                    ? 'Trigger word: always first'
                    : 'Drag to reorder; Alt+←/→ moves, Delete removes'
                }
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
              <button
                type="button"
                class="chip-remove"
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
