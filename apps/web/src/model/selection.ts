import type { Target } from '@civtag/api-models';

/**
 * Which images are selected in the grid. Either a set of ids, or "everything matching the
 * current filter" (which may hold images that are not loaded yet, so it has no id list).
 */
export interface Selection {
  readonly ids: ReadonlySet<string>;
  /** The index a shift-click extends from. */
  readonly anchor: number | null;
  /** Everything matching the filter (the whole dataset when there is none). */
  readonly allMatching: boolean;
  /**
   * What was selected before the keyboard range in progress began (Shift+arrows): the range
   * is added to it, so a range can grow and shrink without losing what Space picked before.
   */
  readonly rangeBase?: ReadonlySet<string>;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null, allMatching: false };

/** How a click changes the selection: plain, with Ctrl/Cmd, with Shift (and both). */
export type SelectMode = 'replace' | 'toggle' | 'range' | 'add-range';

/** Reads the id at a grid index; `undefined` where nothing is loaded. */
export type IdAt = (index: number) => string | undefined;

/** The selection mode a pointer or key event asks for. */
export function selectModeOf(event: {
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}): SelectMode {
  const toggle = event.ctrlKey || event.metaKey;
  if (event.shiftKey) return toggle ? 'add-range' : 'range';
  return toggle ? 'toggle' : 'replace';
}

/**
 * The selection after a click on `index`. `range` selects from the anchor to `index` (the
 * anchor stays); `add-range` adds that range to what is selected; `toggle` flips one image and
 * moves the anchor; `replace` selects that image alone.
 */
export function selectAt(
  selection: Selection,
  click: { index: number; mode: SelectMode },
  idAt: IdAt,
): Selection {
  const { index, mode } = click;
  const id = idAt(index);
  if (id === undefined) return selection;
  if (mode === 'replace') return { ids: new Set([id]), anchor: index, allMatching: false };
  if (mode === 'toggle') {
    const ids = new Set(selection.allMatching ? [] : selection.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: index, allMatching: false };
  }
  const anchor = selection.anchor ?? index;
  const ids = new Set(mode === 'add-range' && !selection.allMatching ? selection.ids : []);
  const [from, to] = anchor <= index ? [anchor, index] : [index, anchor];
  for (let position = from; position <= to; position += 1) {
    const rangeId = idAt(position);
    if (rangeId !== undefined) ids.add(rangeId);
  }
  return { ids, anchor, allMatching: false };
}

/**
 * The selection after Shift+arrow moved the keyboard position from `from` to `to`: what was
 * selected before the range began, plus every image from the anchor (or `from`, when there is
 * none) to `to`. Moving back shrinks the range; the images selected before it stay.
 */
export function extendSelection(
  selection: Selection,
  move: { from: number; to: number },
  idAt: IdAt,
): Selection {
  if (selection.allMatching) return selection;
  const base = selection.rangeBase ?? selection.ids;
  const anchor = selection.anchor ?? Math.max(0, move.from);
  const ids = new Set(base);
  const [first, last] = anchor <= move.to ? [anchor, move.to] : [move.to, anchor];
  for (let position = first; position <= last; position += 1) {
    const id = idAt(position);
    if (id !== undefined) ids.add(id);
  }
  return { ids, anchor, allMatching: false, rangeBase: base };
}

/** Selects every loaded id given (what "select all" means when every image is loaded). */
export function selectIds(ids: Iterable<string>): Selection {
  return { ids: new Set(ids), anchor: null, allMatching: false };
}

/** Selects everything matching the filter, loaded or not. */
export function selectAllMatching(): Selection {
  return { ids: new Set(), anchor: null, allMatching: true };
}

/** True when `id` is selected; with `allMatching`, every shown image is. */
export function isSelected(selection: Selection, id: string): boolean {
  return selection.allMatching || selection.ids.has(id);
}

/** How many images the selection holds; `total` is the filter's match count. */
export function selectionSize(selection: Selection, total: number): number {
  return selection.allMatching ? total : selection.ids.size;
}

/**
 * The op target for the selection: its ids, or the filter query, or every image.
 * Returns `null` when nothing is selected.
 */
export function selectionTarget(selection: Selection, query: string): Target | null {
  if (selection.allMatching) return query.trim() === '' ? { all: true } : { query: query.trim() };
  if (selection.ids.size === 0) return null;
  return { ids: [...selection.ids] };
}
