/** Where a drop-down list goes, in viewport pixels. */
export interface ListPlacement {
  side: 'below' | 'above';
  left: number;
  width: number;
  /** `below`: the list's top; `above`: its bottom, from the viewport's bottom. */
  offset: number;
  /** The most height the list may take there; it scrolls beyond it. */
  maxHeight: number;
}

const GAP = 4;
const MARGIN = 8;

/**
 * Places a list of `listHeight` pixels under the field at `field` (a bounding rectangle) in a
 * viewport `viewportHeight` high: below when it fits there, else on the side with more room —
 * above when the field is near the bottom, so every suggestion shows.
 */
export function placeList(
  field: { left: number; width: number; top: number; bottom: number },
  listHeight: number,
  viewportHeight: number,
): ListPlacement {
  const roomBelow = viewportHeight - field.bottom - GAP - MARGIN;
  const roomAbove = field.top - GAP - MARGIN;
  const below = listHeight <= roomBelow || roomBelow >= roomAbove;
  return below
    ? {
        side: 'below',
        left: field.left,
        width: field.width,
        offset: field.bottom + GAP,
        maxHeight: Math.max(0, roomBelow),
      }
    : {
        side: 'above',
        left: field.left,
        width: field.width,
        offset: viewportHeight - field.top + GAP,
        maxHeight: Math.max(0, roomAbove),
      };
}

/** Whether two placements put the list at the same place (so no new render is needed). */
export function samePlacement(left: ListPlacement | null, right: ListPlacement): boolean {
  return (
    left !== null &&
    left.side === right.side &&
    Math.round(left.left) === Math.round(right.left) &&
    Math.round(left.width) === Math.round(right.width) &&
    Math.round(left.offset) === Math.round(right.offset) &&
    Math.round(left.maxHeight) === Math.round(right.maxHeight)
  );
}

/** The list's style properties for a placement (set through the DOM, which the CSP allows). */
export function listStyle(placement: ListPlacement): Record<string, string> {
  return {
    left: `${placement.left}px`,
    width: `${placement.width}px`,
    maxHeight: `${placement.maxHeight}px`,
    ...(placement.side === 'below'
      ? { top: `${placement.offset}px`, bottom: 'auto' }
      : { bottom: `${placement.offset}px`, top: 'auto' }),
  };
}
