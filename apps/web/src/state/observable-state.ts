/**
 * A small observable state: `update` merges a patch, replaces the snapshot and tells each
 * subscriber. Components read `snapshot` and re-render on change.
 */
export class ObservableState<T extends object> {
  private current: T;
  private readonly listeners = new Set<() => void>();

  constructor(initial: T) {
    this.current = initial;
  }

  get snapshot(): T {
    return this.current;
  }

  update(patch: Partial<T>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
