export type { ChangesSince, FeedEntry } from './change-feed.js';
export type { FileSessionStoreOptions } from './file-session-store.js';
export type { IdempotencyKey, JournalBatchRecord, JournalRecord } from './journal-line.js';
export type { LockOwner } from './lock-owner.js';
export { openSession } from './open-session.js';
export type { SessionReadOptions, SessionStateRead } from './read-session-state.js';
export { readSessionState } from './read-session-state.js';
export type { FirstAnswer } from './remembered-keys.js';
export type { ScannedRecord } from './scan-journal.js';
export type { ApplyOutcome, BatchOutcome, Session, SessionEvents } from './session.js';
export type { CorruptionSite, SessionErrorCode } from './session-error.js';
export { SessionError } from './session-error.js';
export { isSessionHeld } from './session-holder.js';
export type { Reduction, SessionOptions, StateCodec } from './session-options.js';
export { SESSION_DEFAULTS } from './session-options.js';
export type {
  SessionStore,
  SnapshotRead,
  SnapshotToWrite,
  StoreContents,
  StoredAppend,
  StoredRecord,
  StoreLease,
  StoreWrite,
} from './session-store.js';
export type { SessionWarning } from './session-warning.js';
export type { RememberedKey, Snapshot } from './snapshot-file.js';
