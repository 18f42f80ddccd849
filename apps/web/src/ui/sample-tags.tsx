/** A previewed caption: tags the op adds are marked, tags it removes are struck through. */
export function SampleTags({
  before,
  after,
}: {
  before: readonly string[];
  after: readonly string[];
}) {
  const kept = new Set(before);
  const removed = before.filter((tag) => !after.includes(tag));
  return (
    <>
      {after.slice(0, 8).map((tag, index) => (
        <span key={tag}>
          {index > 0 ? ', ' : ''}
          {kept.has(tag) ? tag : <ins class="sample-added">{tag}</ins>}
        </span>
      ))}
      {after.length > 8 ? '…' : ''}
      {removed.map((tag) => (
        <span key={`removed-${tag}`}>
          {' '}
          <del class="sample-removed">{tag}</del>
        </span>
      ))}
    </>
  );
}
