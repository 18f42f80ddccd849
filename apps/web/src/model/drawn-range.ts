/** A run of grid positions, `start … end-1`. */
export interface TileRange {
  start: number;
  end: number;
}

/**
 * What stays drawn of `drawn` once the view settles on `settled`: the part inside it. A view
 * that settled elsewhere starts from nothing at `anchor` (the first tile in view), so that its
 * rows are drawn from the top of the view down.
 */
export function keepDrawn(drawn: TileRange, settled: TileRange, anchor: number): TileRange {
  const start = Math.max(drawn.start, settled.start);
  const end = Math.min(drawn.end, settled.end);
  if (start < end) return { start, end };
  const at = Math.min(Math.max(anchor, settled.start), settled.end);
  return { start: at, end: at };
}

/**
 * The drawn range one frame later: up to `count` more tiles whose records are loaded, below it
 * first (the view and the rows under it), then above it, up to the ends of `settled`. Returns
 * `drawn` itself when nothing more can be drawn (everything is, or the next tiles' records have
 * not come yet), so that a caller can stop asking for frames.
 */
export function growDrawn(
  drawn: TileRange,
  settled: TileRange,
  growth: { count: number; isLoaded: (index: number) => boolean },
): TileRange {
  const { count, isLoaded } = growth;
  let end = drawn.end;
  const endLimit = Math.min(settled.end, drawn.end + count);
  while (end < endLimit && isLoaded(end)) end += 1;
  if (end > drawn.end) return { start: drawn.start, end };
  let start = drawn.start;
  const startLimit = Math.max(settled.start, drawn.start - count);
  while (start > startLimit && isLoaded(start - 1)) start -= 1;
  if (start < drawn.start) return { start, end: drawn.end };
  return drawn;
}

/**
 * Where the drawing of a newly settled view starts: the row of the focused tile when it is in
 * view (End, a key that jumped far: the tile the user is looking for is drawn first), else the
 * first row in view.
 */
export function drawAnchor(
  view: { firstInView: number; endOfView: number; columns: number },
  focusIndex: number,
): number {
  const { firstInView, endOfView, columns } = view;
  if (focusIndex >= firstInView && focusIndex < endOfView)
    return focusIndex - (focusIndex % columns);
  return firstInView;
}
