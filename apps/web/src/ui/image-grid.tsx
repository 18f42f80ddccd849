import type { VNode } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { drawAnchor, growDrawn, keepDrawn, type TileRange } from '../model/drawn-range.js';
import { formatNumber } from '../model/format-count.js';
import { computeGridLayout, scrollToReveal, tilePosition } from '../model/grid-layout.js';
import type { PageCache } from '../model/page-cache.js';
import { ScrollSettle } from '../model/scroll-settle.js';
import { isSelected, selectModeOf } from '../model/selection.js';
import { TileSlots } from '../model/tile-slots.js';
import type { AppState, AppStore } from '../state/app-store.js';
import { clickTile, gridShape, openEditor } from '../state/grid-actions.js';
import { ImageTile, PlaceholderTile } from './image-tile.js';

const MIN_TILE_WIDTH = 168;
const GAP = 12;
const CAPTION_HEIGHT = 30;
/** Rows whose records are fetched either side of the ones in view once the view settles. */
const PREFETCH_ROWS = 12;

/** The positions whose tiles may show their image: the rows in view when the view last settled. */
type SettledRange = TileRange;

const NOTHING_SETTLED: SettledRange = { start: 0, end: 0 };

/** The tiles drawn so far of the settled rows, for one filter's cache. */
interface DrawnTiles {
  cache: PageCache | null;
  range: TileRange;
}

/**
 * The virtualised thumbnail grid: only the rows in view (and a couple either side) exist in
 * the DOM, so 100,000 images scroll like 100. Rows are rendered, and their records and
 * thumbnails loaded, only once they stay on screen (`ScrollSettle`): rows flown past cost
 * nothing (the grid shows its background), and page loads for rows that scrolled away are
 * aborted; a settled row whose page is still on its way is a placeholder. Settled rows are drawn
 * a row per frame, from the top of the view (or the focused tile's row) down, then the rows
 * above: drawing a whole screen of tiles at once (their elements, style, layout, text and image
 * requests) made one long task where a row per frame makes short ones. Pages are fetched by
 * position, so End or a drag to the bottom shows the last images without the pages before them.
 */
export function ImageGrid({ store, state }: { store: AppStore; state: AppState }) {
  const scroller = useRef<HTMLDivElement>(null);
  const frame = useRef(0);
  const settleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const settler = useRef(new ScrollSettle());
  const slots = useRef(new TileSlots());
  const [view, setView] = useState({ width: 800, height: 600, scrollTop: 0 });
  const [settled, setSettled] = useState<SettledRange>(NOTHING_SETTLED);
  const settledRef = useRef(settled);
  settledRef.current = settled;
  const [drawnTiles, setDrawnTiles] = useState<DrawnTiles>({ cache: null, range: NOTHING_SETTLED });
  const { cache, selection, focusIndex } = state;
  const layout = computeGridLayout({
    viewportWidth: view.width,
    viewportHeight: view.height,
    scrollTop: view.scrollTop,
    itemCount: cache.total,
    minTileWidth: MIN_TILE_WIDTH,
    gap: GAP,
    captionHeight: CAPTION_HEIGHT,
  });
  gridShape.columns = layout.columns;
  const isLoaded = (index: number) => cache.at(index) !== undefined;
  const growth = { count: layout.columns, isLoaded };
  // A render draws one row more than the rows last drawn, whatever made it: the frame after a
  // row was drawn draws the next (below first, then above), and a settle after a scroll by a
  // row draws the row that came into view at once, on the element of the row that left.
  const drawn = growDrawn(
    keepDrawn(
      drawnTiles.cache === cache ? drawnTiles.range : NOTHING_SETTLED,
      settled,
      drawAnchor(
        {
          firstInView: Math.floor(view.scrollTop / layout.rowHeight) * layout.columns,
          endOfView: Math.ceil((view.scrollTop + view.height) / layout.rowHeight) * layout.columns,
          columns: layout.columns,
        },
        focusIndex,
      ),
    ),
    settled,
    growth,
  );
  const isDrawn = (index: number) => index >= drawn.start && index < drawn.end;

  // The next frame keeps what this render drew, and so draws the row after it, until every
  // settled row whose page came is drawn.
  useLayoutEffect(() => {
    const kept = drawnTiles.range;
    if (drawnTiles.cache === cache && kept.start === drawn.start && kept.end === drawn.end) return;
    const request = requestAnimationFrame(() => setDrawnTiles({ cache, range: drawn }));
    return () => cancelAnimationFrame(request);
  });

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const measure = () =>
      setView({
        width: element.clientWidth,
        height: element.clientHeight,
        scrollTop: element.scrollTop,
      });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // The store's cache, not this render's: a timer may fire after the filter changed.
  const layoutAt = (element: HTMLElement) =>
    computeGridLayout({
      viewportWidth: element.clientWidth,
      viewportHeight: element.clientHeight,
      scrollTop: element.scrollTop,
      itemCount: store.snapshot.cache.total,
      minTileWidth: MIN_TILE_WIDTH,
      gap: GAP,
      captionHeight: CAPTION_HEIGHT,
    });

  // Loads the rows in view now: their records (and a margin), and their thumbnails.
  const settle = () => {
    clearTimeout(settleTimer.current);
    const element = scroller.current;
    if (element === null) return;
    const { scrollTop } = element;
    setView((previous) =>
      previous.scrollTop === scrollTop ? previous : { ...previous, scrollTop },
    );
    const now = layoutAt(element);
    setSettled((previous) =>
      previous.start === now.startIndex && previous.end === now.endIndex
        ? previous
        : { start: now.startIndex, end: now.endIndex },
    );
    const margin = now.columns * PREFETCH_ROWS;
    store.showRange(Math.max(0, now.startIndex - margin), now.endIndex + margin);
  };

  // A new filter, a resize, or a total learnt from the first page: settle where the view is.
  useEffect(settle, [cache, view.width, view.height, cache.total]);
  useEffect(() => () => clearTimeout(settleTimer.current), []);

  useEffect(() => {
    const element = scroller.current;
    if (element === null || focusIndex < 0) return;
    const next = scrollToReveal(focusIndex, layout, {
      scrollTop: element.scrollTop,
      viewportHeight: element.clientHeight,
    });
    if (next !== element.scrollTop) element.scrollTop = next;
  }, [focusIndex, layout.columns]);

  useLayoutEffect(() => {
    if (state.focusRequest?.target === 'grid') scroller.current?.focus({ preventScroll: true });
  }, [state.focusRequest]);

  useEffect(() => {
    if (scroller.current !== null) scroller.current.scrollTop = 0;
  }, [cache]);

  const onScroll = () => {
    if (frame.current !== 0) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const element = scroller.current;
      if (element === null) return;
      // Flying through, nothing is rendered (the grid shows its background): no DOM, style or
      // layout work per frame; the rows are rendered once the view settles.
      const wait = settler.current.scrolled(
        performance.now(),
        element.scrollTop,
        element.clientHeight,
      );
      clearTimeout(settleTimer.current);
      if (wait === 0) {
        settle();
        return;
      }
      settleTimer.current = setTimeout(settle, wait);
      // The rows last settled are out of view: their pages and thumbnails are no longer wanted.
      const inView = layoutAt(element);
      const { start, end } = settledRef.current;
      if (end > start && (inView.endIndex <= start || inView.startIndex >= end)) {
        setSettled(NOTHING_SETTLED);
        store.showRange(0, 0);
      }
    });
  };

  // Tiles are rendered in slot order (`TileSlots`): none moves among its siblings, and a row
  // that scrolls in is drawn on the elements of the row that scrolled out.
  const positions = slots.current.assign(layout.startIndex, layout.endIndex);
  const tiles: (VNode | null)[] = new Array(positions.length).fill(null);
  for (const [slot, index] of positions.entries()) {
    if (index === -1) continue;
    const position = tilePosition(index, layout, GAP);
    const record = isDrawn(index) ? cache.at(index) : undefined;
    const box = {
      top: position.top,
      left: position.left,
      width: layout.tileWidth,
      height: layout.tileWidth + CAPTION_HEIGHT,
    };
    if (record === undefined) {
      tiles[slot] = <PlaceholderTile key={slot} box={box} />;
      continue;
    }
    tiles[slot] = (
      <ImageTile
        key={slot}
        index={index}
        record={record}
        box={box}
        selected={isSelected(selection, record.id)}
        focused={index === focusIndex}
        triggerWord={store.triggerWord}
        onClick={(event) => clickTile(store, index, selectModeOf(event))}
        onOpen={() => {
          store.update({ focusIndex: index });
          openEditor(store);
        }}
      />
    );
  }

  const empty = cache.totalKnown && cache.total === 0;
  return (
    <div
      ref={scroller}
      id="image-grid"
      class="grid-scroll"
      tabIndex={0}
      role="listbox"
      aria-multiselectable="true"
      aria-label={`Images, ${formatNumber(cache.total)} in view. Arrows or j/k to move, Enter to edit, ? for shortcuts`}
      aria-activedescendant={
        isDrawn(focusIndex) && cache.at(focusIndex) !== undefined ? `tile-${focusIndex}` : undefined
      }
      data-testid="grid"
      onScroll={onScroll}
      onFocus={(event) => {
        if (event.target === scroller.current && focusIndex < 0 && cache.loadedCount > 0) {
          store.update({ focusIndex: 0 });
        }
      }}
    >
      <div class="grid-canvas" style={{ height: `${layout.totalHeight}px` }}>
        {tiles}
      </div>
      {empty ? (
        <div class="grid-empty">
          {state.filter === '' ? (
            <>
              <p>This dataset has no images yet.</p>
              <button
                type="button"
                class="button primary"
                onClick={() => store.update({ dialog: 'import' })}
              >
                Import a folder
              </button>
            </>
          ) : (
            <p>No image matches “{state.filter}”.</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
