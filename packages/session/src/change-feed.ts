/** One applied entry, as the change feed hands it to a client catching up. */
export interface FeedEntry<E, R> {
  revision: number;
  entry: E;
  result: R;
  key?: { clientId: string; opId: string };
}

/** The answer to "what happened after revision N": the entries, or "reload everything". */
export type ChangesSince<E, R> = { reload: true } | { reload: false; entries: FeedEntry<E, R>[] };

/**
 * The last `capacity` applied entries, in revision order, for clients that reconnect, and no
 * more than `weightBound` of weight (`weightOf` each result) in all. A client further behind
 * than that must reload the whole state.
 */
export class ChangeFeed<E, R> {
  private readonly entries: FeedEntry<E, R>[] = [];
  private readonly weights: number[] = [];
  private start = 0;
  private weight = 0;

  constructor(
    private readonly capacity: number,
    private readonly weightOf: (result: R) => number = () => 1,
    private readonly weightBound = Number.POSITIVE_INFINITY,
  ) {}

  /** Records the entry that made `entry.revision` (always the next revision). */
  push(entry: FeedEntry<E, R>): void {
    if (this.capacity === 0) return;
    const weight = this.weightOf(entry.result);
    this.entries.push(entry);
    this.weights.push(weight);
    this.weight += weight;
    while (
      this.start < this.entries.length &&
      (this.entries.length - this.start > this.capacity || this.weight > this.weightBound)
    ) {
      this.weight -= this.weights[this.start] ?? 0;
      // Let go of the entry now: a heavy result is what the bound is about.
      (this.entries as unknown[])[this.start] = undefined;
      this.start += 1;
    }
    // Drop in batches so that trimming costs O(1) per push on average.
    if (this.start > this.capacity || this.start === this.entries.length) {
      this.entries.splice(0, this.start);
      this.weights.splice(0, this.start);
      this.start = 0;
    }
  }

  /**
   * The entries after `revision`, given the session is at `current`. `reload` when `revision`
   * is older than the feed remembers, or newer than `current` (a client from another life of
   * the dataset).
   */
  since(revision: number, current: number): ChangesSince<E, R> {
    if (!Number.isInteger(revision) || revision < 0 || revision > current) return { reload: true };
    if (revision === current) return { reload: false, entries: [] };
    const oldest = this.entries[this.start];
    if (oldest === undefined || oldest.revision > revision + 1) return { reload: true };
    const from = this.start + (revision + 1 - oldest.revision);
    return { reload: false, entries: this.entries.slice(from) };
  }
}
