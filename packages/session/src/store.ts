// `@civtag/session/store`: what a session store is made of. `FileSessionStore` is the default
// store (a folder); the rest is for stores kept elsewhere (`@civtag/session-postgres`), so that
// every store writes and checks records exactly as the journal file does.
export type { FileSessionStoreOptions } from './file-session-store.js';
export { FileSessionStore } from './file-session-store.js';
export type { IdempotencyKey, JournalBatchRecord, JournalRecord } from './journal-line.js';
export { decodeJournalLine, encodeJournalLine, isLineProblem } from './journal-line.js';
export type { FirstAnswer } from './remembered-keys.js';
export type { ScannedRecord } from './scan-journal.js';
export { corruptError, SessionError } from './session-error.js';
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
export { hashStateText } from './snapshot-file.js';
