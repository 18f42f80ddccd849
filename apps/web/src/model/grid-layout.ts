/** The inputs of the grid's geometry, in CSS pixels. */
export interface GridGeometry {
  viewportWidth: number;
  viewportHeight: number;
  scrollTop: number;
  itemCount: number;
  /** Smallest tile width; columns are as many as fit. */
  minTileWidth: number;
  /** Space between tiles. */
  gap: number;
  /** Height below the square picture (the caption line). */
  captionHeight: number;
  /** Rows rendered above and below the viewport. Default 2. */
  overscanRows?: number;
}

/** Which tiles to render, and where. */
export interface GridLayout {
  columns: number;
  tileWidth: number;
  rowHeight: number;
  totalHeight: number;
  /** Index of the first tile to render. */
  startIndex: number;
  /** One past the last tile to render. */
  endIndex: number;
}

/**
 * Computes a virtualised grid: only the rows in view (plus a few either side) are rendered,
 * so 100,000 images cost as much as a screenful.
 */
export function computeGridLayout(geometry: GridGeometry): GridLayout {
  const { viewportWidth, viewportHeight, scrollTop, itemCount, minTileWidth, gap } = geometry;
  const overscan = geometry.overscanRows ?? 2;
  const usable = Math.max(viewportWidth - gap, minTileWidth);
  const columns = Math.max(1, Math.floor(usable / (minTileWidth + gap)));
  const tileWidth = Math.floor(usable / columns - gap);
  const rowHeight = tileWidth + geometry.captionHeight + gap;
  const rows = Math.ceil(itemCount / columns);
  const totalHeight = rows * rowHeight + gap;
  const firstRow = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const lastRow = Math.min(rows, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return {
    columns,
    tileWidth,
    rowHeight,
    totalHeight,
    startIndex: Math.min(itemCount, firstRow * columns),
    endIndex: Math.min(itemCount, lastRow * columns),
  };
}

/** The position of tile `index` inside the grid's scroll area. */
export function tilePosition(
  index: number,
  layout: Pick<GridLayout, 'columns' | 'tileWidth' | 'rowHeight'>,
  gap: number,
): { top: number; left: number } {
  const row = Math.floor(index / layout.columns);
  const column = index % layout.columns;
  return { top: gap + row * layout.rowHeight, left: gap + column * (layout.tileWidth + gap) };
}

/**
 * The scroll offset that brings tile `index` fully into view, or the current offset when it
 * already is.
 */
export function scrollToReveal(
  index: number,
  layout: Pick<GridLayout, 'columns' | 'rowHeight'>,
  view: { scrollTop: number; viewportHeight: number },
): number {
  const top = Math.floor(index / layout.columns) * layout.rowHeight;
  const bottom = top + layout.rowHeight;
  if (top < view.scrollTop) return top;
  if (bottom > view.scrollTop + view.viewportHeight) return bottom - view.viewportHeight;
  return view.scrollTop;
}

/** The index a move key leads to, clamped to the grid. */
export function moveIndex(
  index: number,
  direction: 'left' | 'right' | 'up' | 'down' | 'first' | 'last',
  grid: { columns: number; itemCount: number },
): number {
  if (grid.itemCount === 0) return -1;
  const step = { left: -1, right: 1, up: -grid.columns, down: grid.columns }[
    direction as 'left' | 'right' | 'up' | 'down'
  ];
  if (direction === 'first') return 0;
  if (direction === 'last') return grid.itemCount - 1;
  if (index < 0) return 0;
  return Math.min(grid.itemCount - 1, Math.max(0, index + (step ?? 0)));
}
