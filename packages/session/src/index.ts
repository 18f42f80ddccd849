export type { ChangesSince, FeedEntry } from './change-feed.js';
export type { IdempotencyKey } from './journal-line.js';
export type { LockOwner } from './lock-owner.js';
export { openSession } from './open-session.js';
export type { ApplyOutcome, Session, SessionEvents } from './session.js';
export type { CorruptionSite, SessionErrorCode } from './session-error.js';
export { SessionError } from './session-error.js';
export type { Reduction, SessionOptions } from './session-options.js';
export { SESSION_DEFAULTS } from './session-options.js';
