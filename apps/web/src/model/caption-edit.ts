import { foldTag, parseCaption } from '@civtag/tags';

/** The tags a caption typed or pasted as text sets, or why it cannot be set. */
export type CaptionEdit = { tags: string[] } | { problem: string };

/**
 * Reads a caption typed or pasted into the editor (`parseCaption`: escapes, stray commas and
 * spaces, duplicates as a caption file is read). The dataset's trigger word stays first when the
 * text leaves it out: a caption brought from another tool rarely has it, and every caption of
 * the dataset does. More than one line is refused: the lines after the first are kohya's
 * wildcard alternatives, which a `set` op does not change.
 */
export function readCaptionEdit(text: string, triggerWord: string | undefined): CaptionEdit {
  const parsed = parseCaption(text);
  if (parsed.extraLines.length > 0) {
    return {
      problem:
        "Write the caption on one line: lines after the first are kohya's wildcard alternatives, which this field does not change.",
    };
  }
  if (triggerWord === undefined) return { tags: parsed.tags };
  const trigger = foldTag(triggerWord);
  if (parsed.tags.some((tag) => foldTag(tag) === trigger)) return { tags: parsed.tags };
  return { tags: [triggerWord, ...parsed.tags] };
}
