/** The inputs of a virtualised list of rows of one height, in CSS pixels. */
export interface VirtualListGeometry {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  /** Rows rendered above and below the viewport. Default 6. */
  overscan?: number;
}

/** Which rows to render, and the space they sit in. */
export interface VirtualRange {
  /** Index of the first row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** The offset of row `start` from the top of the list. */
  offsetTop: number;
  /** The height of the whole list, rendered or not. */
  totalHeight: number;
}

/**
 * The rows of a list that are in view (and a few either side), so that a list of 50,000 tags
 * costs as much to render as a screenful. A scroll position past the end (the list shrank under
 * it) shows the last rows.
 */
export function virtualRange(geometry: VirtualListGeometry): VirtualRange {
  const { viewportHeight, rowHeight, count } = geometry;
  const overscan = geometry.overscan ?? 6;
  const totalHeight = count * rowHeight;
  const scrollTop = Math.max(0, Math.min(geometry.scrollTop, totalHeight - viewportHeight));
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { start, end: Math.max(start, end), offsetTop: start * rowHeight, totalHeight };
}
