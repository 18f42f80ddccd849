import type { ChangeFeed } from './change-feed.js';
import type { JournalFile } from './journal-file.js';
import type { LockOwner } from './lock-owner.js';
import type { RememberedKeys } from './remembered-keys.js';
import type { SessionFiles } from './session-files.js';
import type { ResolvedSessionOptions } from './session-options.js';
import type { SessionWarning } from './session-warning.js';

/** What {@link openSession} recovered, handed to the session it opens. */
export interface RecoveredSession<S, E, R> {
  options: ResolvedSessionOptions<S, E, R>;
  files: SessionFiles;
  owner: LockOwner;
  journal: JournalFile;
  state: S;
  revision: number;
  keys: RememberedKeys<R>;
  feed: ChangeFeed<E, R>;
  /** Lines in the journal, including any the snapshot already holds. */
  journalEntries: number;
  /** What the open noticed and kept for a person. */
  warnings: SessionWarning[];
}
