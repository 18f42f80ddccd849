import type { ChangeFeed } from './change-feed.js';
import type { RememberedKeys } from './remembered-keys.js';
import type { ResolvedSessionOptions } from './session-options.js';
import type { SessionStore } from './session-store.js';
import type { SessionWarning } from './session-warning.js';

/** What {@link openSession} recovered, handed to the session it opens. */
export interface RecoveredSession<S, E, R> {
  options: ResolvedSessionOptions<S, E, R>;
  /** Where the snapshot and journal are, opened and started. */
  store: SessionStore;
  state: S;
  revision: number;
  keys: RememberedKeys<R>;
  feed: ChangeFeed<E, R>;
  /** Records in the journal, including any the snapshot already holds. */
  journalEntries: number;
  /** What the open noticed and kept for a person. */
  warnings: SessionWarning[];
}
