/**
 * Gives each rendered grid position a slot (the key its tile is rendered under, and its place
 * among the grid's children) and keeps it for as long as the position stays rendered; a
 * position that comes into the window takes the slot of one that left. Tiles rendered in slot
 * order are never moved among their siblings, and a row that scrolls in is drawn on the
 * elements of the row that scrolled out (patched, not rebuilt). Keys by position modulo a pool
 * reused an element only once the window had moved by the pool's spare rows, and tiles rendered
 * in position order had Preact move the elements of every other tile when the window moved.
 */
export class TileSlots {
  private slotOf = new Map<number, number>();
  private count = 0;

  /**
   * The slots of positions `start … end-1`: the position in each slot, or -1 for a slot that
   * holds nothing now. Asked again for the same window, answers the same.
   */
  assign(start: number, end: number): number[] {
    const next = new Map<number, number>();
    const positions = new Array<number>(this.count).fill(-1);
    for (let index = start; index < end; index += 1) {
      const slot = this.slotOf.get(index);
      if (slot === undefined) continue;
      next.set(index, slot);
      positions[slot] = index;
    }
    let free = 0;
    for (let index = start; index < end; index += 1) {
      if (next.has(index)) continue;
      while (free < positions.length && positions[free] !== -1) free += 1;
      if (free === positions.length) {
        positions.push(-1);
        this.count += 1;
      }
      next.set(index, free);
      positions[free] = index;
    }
    this.slotOf = next;
    return positions;
  }
}
