import { describe, expect, it } from 'vitest';
import {
  EMPTY_SELECTION,
  extendSelection,
  isSelected,
  selectAllMatching,
  selectAt,
  selectionSize,
  selectionTarget,
  selectModeOf,
} from './selection.js';

const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
const idAt = (index: number) => ids[index];

function click(
  selection = EMPTY_SELECTION,
  index = 0,
  mode: Parameters<typeof selectAt>[1]['mode'] = 'replace',
) {
  return selectAt(selection, { index, mode }, idAt);
}

describe('selection', () => {
  it('selects one image on a plain click and remembers it as the anchor', () => {
    const selection = click(click(EMPTY_SELECTION, 1), 3);
    expect([...selection.ids]).toEqual(['d']);
    expect(selection.anchor).toBe(3);
  });

  it('selects the range from the anchor on shift-click, in either direction', () => {
    const down = click(click(EMPTY_SELECTION, 1), 4, 'range');
    expect([...down.ids].sort()).toEqual(['b', 'c', 'd', 'e']);
    const up = click(down, 0, 'range');
    expect([...up.ids].sort()).toEqual(['a', 'b']);
    expect(up.anchor).toBe(1);
  });

  it('extends a keyboard range from the position moved from, growing and shrinking it', () => {
    let selection = extendSelection(EMPTY_SELECTION, { from: 1, to: 2 }, idAt);
    expect([...selection.ids].sort()).toEqual(['b', 'c']);
    selection = extendSelection(selection, { from: 2, to: 3 }, idAt);
    expect([...selection.ids].sort()).toEqual(['b', 'c', 'd']);
    selection = extendSelection(selection, { from: 3, to: 2 }, idAt);
    expect([...selection.ids].sort()).toEqual(['b', 'c']);
    selection = extendSelection(selection, { from: 2, to: 0 }, idAt);
    expect([...selection.ids].sort()).toEqual(['a', 'b']);
  });

  it('keeps what Space selected before a Shift+arrow range began', () => {
    // Space on a, Space on c (the anchor), then Shift+→ from e: the range runs from c.
    let selection = click(EMPTY_SELECTION, 0, 'toggle');
    selection = click(selection, 2, 'toggle');
    selection = extendSelection(selection, { from: 4, to: 5 }, idAt);
    expect([...selection.ids].sort()).toEqual(['a', 'c', 'd', 'e', 'f']);
    selection = extendSelection(selection, { from: 5, to: 4 }, idAt);
    expect([...selection.ids].sort()).toEqual(['a', 'c', 'd', 'e']);
    // A toggle starts over: the range's base is forgotten, the anchor is the toggled image.
    selection = click(selection, 1, 'toggle');
    expect(selection.rangeBase).toBeUndefined();
    selection = extendSelection(selection, { from: 1, to: 0 }, idAt);
    expect([...selection.ids].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    selection = click(selection, 3, 'toggle');
    selection = extendSelection(selection, { from: 3, to: 3 }, idAt);
    expect([...selection.ids].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('adds and removes single images with ctrl/cmd-click', () => {
    let selection = click(EMPTY_SELECTION, 0);
    selection = click(selection, 2, 'toggle');
    selection = click(selection, 5, 'toggle');
    expect([...selection.ids].sort()).toEqual(['a', 'c', 'f']);
    selection = click(selection, 2, 'toggle');
    expect([...selection.ids].sort()).toEqual(['a', 'f']);
  });

  it('adds a range to the selection on ctrl+shift-click', () => {
    let selection = click(EMPTY_SELECTION, 0);
    selection = click(selection, 3, 'toggle');
    selection = click(selection, 5, 'add-range');
    expect([...selection.ids].sort()).toEqual(['a', 'd', 'e', 'f']);
  });

  it('ignores a click where no record is loaded', () => {
    const selection = click(EMPTY_SELECTION, 1);
    expect(click(selection, 99)).toBe(selection);
  });

  it('reads the mode from the modifier keys', () => {
    expect(selectModeOf({ shiftKey: false, ctrlKey: false, metaKey: false })).toBe('replace');
    expect(selectModeOf({ shiftKey: false, ctrlKey: true, metaKey: false })).toBe('toggle');
    expect(selectModeOf({ shiftKey: false, ctrlKey: false, metaKey: true })).toBe('toggle');
    expect(selectModeOf({ shiftKey: true, ctrlKey: false, metaKey: false })).toBe('range');
    expect(selectModeOf({ shiftKey: true, ctrlKey: true, metaKey: false })).toBe('add-range');
  });

  it('targets the ids, the filter query, or every image', () => {
    expect(selectionTarget(EMPTY_SELECTION, '')).toBeNull();
    expect(selectionTarget(click(EMPTY_SELECTION, 2), 'solo')).toEqual({ ids: ['c'] });
    expect(selectionTarget(selectAllMatching(), '  solo ')).toEqual({ query: 'solo' });
    expect(selectionTarget(selectAllMatching(), '')).toEqual({ all: true });
  });

  it('counts "all matching" as the filter total and holds every id', () => {
    const all = selectAllMatching();
    expect(selectionSize(all, 1234)).toBe(1234);
    expect(isSelected(all, 'anything')).toBe(true);
    expect(selectionSize(click(EMPTY_SELECTION, 1), 1234)).toBe(1);
  });

  it('leaves "all matching" for a plain selection on the next click', () => {
    const selection = click(selectAllMatching(), 2, 'toggle');
    expect(selection.allMatching).toBe(false);
    expect([...selection.ids]).toEqual(['c']);
  });
});
