import type { SessionEvents } from './session.js';

/** The listeners of a session's events. A listener that throws does not stop the others. */
export class SessionListeners {
  private readonly listeners: { [K in keyof SessionEvents]: Set<SessionEvents[K]> } = {
    'lock-lost': new Set(),
    'compaction-failed': new Set(),
    'caught-up': new Set(),
  };

  /** Adds `listener`; returns a function that removes it. */
  on<K extends keyof SessionEvents>(event: K, listener: SessionEvents[K]): () => void {
    const set = this.listeners[event] as Set<SessionEvents[K]>;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Calls every listener of `event` with `args`. */
  emit<K extends keyof SessionEvents>(event: K, ...args: Parameters<SessionEvents[K]>): void {
    for (const listener of this.listeners[event] as Set<(...values: unknown[]) => void>) {
      try {
        listener(...args);
      } catch (listenerError) {
        // A broken listener must not break the session; surface it where Node reports such things.
        queueMicrotask(() => {
          throw listenerError;
        });
      }
    }
  }
}
