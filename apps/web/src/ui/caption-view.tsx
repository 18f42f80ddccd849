import type { Settings } from '@civtag/api-models';
import { captionStyle, captionText } from '@civtag/tags';
import { useRef, useState } from 'preact/hooks';
import { readCaptionEdit } from '../model/caption-edit.js';

interface CaptionViewProps {
  tags: readonly string[];
  settings: Settings | undefined;
  /** Replaces the image's tags with those of the caption typed (one `set` op). */
  onSet: (tags: string[]) => Promise<boolean>;
}

/** The caption exactly as the dataset writes it, or why there is none. */
function writtenCaption(tags: readonly string[], settings: Settings | undefined): string {
  if (settings === undefined) return tags.join(', ');
  try {
    return captionText({ tags }, captionStyle(settings));
  } catch {
    return tags.join(', ');
  }
}

/**
 * The image's caption as text: exactly what its caption file holds and a plain export writes
 * (the trigger word first, the tag style's escaping), through `captionText` of `@civtag/tags`,
 * the function the dataset writes with. "Edit as text" takes a whole caption (pasted from
 * another tool, escaped or not) and sets it as the image's tags in one edit (the trigger word
 * kept first, see `readCaptionEdit`); Enter saves, Esc keeps the tags as they were.
 */
export function CaptionView({ tags, settings, onSet }: CaptionViewProps) {
  const written = writtenCaption(tags, settings);
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // The field takes the focus once, when opened; a click elsewhere later keeps its focus.
  const focusField = useRef(false);
  const startEditing = () => {
    focusField.current = true;
    setDraft(written);
  };
  const save = async (text: string) => {
    const edit = readCaptionEdit(text, settings?.triggerWord);
    if ('problem' in edit) {
      setProblem(edit.problem);
      return;
    }
    setProblem(null);
    setDraft(null);
    const accepted = await onSet(edit.tags);
    if (!accepted) setDraft(text);
  };
  return (
    <section class="caption-view" aria-label="Caption as written">
      <div class="caption-header">
        <span class="field-label" id="caption-label">
          Caption file
        </span>
        {draft === null ? (
          <button type="button" class="link-button" onClick={startEditing}>
            Edit as text
          </button>
        ) : null}
      </div>
      {draft === null ? (
        <p class="caption-text" data-testid="caption-text">
          {written === '' ? (
            <span class="muted">No caption file: the image has no tags.</span>
          ) : (
            written
          )}
        </p>
      ) : (
        <>
          <textarea
            id="caption-editor"
            class="text-input caption-editor"
            aria-labelledby="caption-label"
            aria-describedby="caption-editor-help"
            spellcheck={false}
            rows={3}
            value={draft}
            ref={(element) => {
              if (element === null || !focusField.current) return;
              focusField.current = false;
              element.focus();
            }}
            onInput={(event) => setDraft(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey) {
                event.preventDefault();
                void save(event.currentTarget.value);
              } else if (event.key === 'Escape') {
                event.preventDefault();
                event.stopPropagation();
                setDraft(null);
                setProblem(null);
              }
            }}
          />
          <p id="caption-editor-help" class="muted caption-help">
            Tags separated by commas, as a caption file holds them; Enter sets them as this image's
            tags (one edit, undone by Undo), Esc keeps them.
          </p>
          {problem === null ? null : <p class="error-text">{problem}</p>}
        </>
      )}
    </section>
  );
}
