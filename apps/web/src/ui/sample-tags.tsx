import { diffSampleTags } from '../model/sample-diff.js';

/** How many tags of a previewed caption are shown before "…". */
const TAGS_SHOWN = 8;

/**
 * A previewed caption: tags the op adds are marked, tags it removes are struck through, and a
 * tag brought to another form shows its old form struck right before the new one.
 */
export function SampleTags({
  before,
  after,
}: {
  before: readonly string[];
  after: readonly string[];
}) {
  const { tags, removed } = diffSampleTags(before, after);
  return (
    <>
      {tags.slice(0, TAGS_SHOWN).map((entry, index) => (
        <span key={entry.tag}>
          {index > 0 ? ', ' : ''}
          {entry.kind === 'kept' ? (
            entry.tag
          ) : entry.kind === 'added' ? (
            <ins class="sample-added">{entry.tag}</ins>
          ) : (
            <>
              <del class="sample-removed">{entry.from}</del>{' '}
              <ins class="sample-added">{entry.tag}</ins>
            </>
          )}
        </span>
      ))}
      {tags.length > TAGS_SHOWN ? '…' : ''}
      {removed.map((tag) => (
        <span key={`removed-${tag}`}>
          {' '}
          <del class="sample-removed">{tag}</del>
        </span>
      ))}
    </>
  );
}
