/**
 * When a session compacts by itself: once its journal holds `entryBound` entries or `byteBound`
 * bytes. A compaction that is started pushes the next one a whole bound further, so that the
 * applies queued meanwhile (or a disk that keeps failing) do not start one per apply.
 */
export class CompactionSchedule {
  private entries: number;
  private nextAtEntries: number;
  private nextAtBytes: number;

  constructor(
    entries: number,
    private readonly entryBound: number,
    private readonly byteBound: number,
  ) {
    this.entries = entries;
    this.nextAtEntries = entryBound;
    this.nextAtBytes = byteBound;
  }

  /** Counts `count` more entries in the journal (one line, or a batch in one line). */
  appended(count = 1): void {
    this.entries += count;
  }

  /** True when a compaction should start now (and then the next is pushed back). */
  takeDue(journalBytes: number): boolean {
    if (this.entries < this.nextAtEntries && journalBytes < this.nextAtBytes) return false;
    this.nextAtEntries = this.entries + this.entryBound;
    this.nextAtBytes = journalBytes + this.byteBound;
    return true;
  }

  /** The journal was emptied by a compaction. */
  compacted(): void {
    this.entries = 0;
    this.nextAtEntries = this.entryBound;
    this.nextAtBytes = this.byteBound;
  }
}
