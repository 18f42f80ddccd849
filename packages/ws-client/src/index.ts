export type {
  AutoTagProgress,
  CaptionProgress,
  Change,
  ImageChange,
  ImportProgress,
  TagOp,
} from '@civtag/ws-protocol';
// The error family of the client, so an app needs no second import to handle a rejection.
export { CivtagError, ErrorCode, RETRYABLE_ERROR_CODES } from '@civtag/ws-protocol';
export type {
  CivtagClient,
  ClientEvents,
  ClientStatus,
  HeldEvent,
  SendOptions,
  StatusEvent,
  WelcomeEvent,
} from './civtag-client.js';
export type {
  BackoffOptions,
  ClientOptions,
  HeartbeatOptions,
  QueueOptions,
} from './client-options.js';
export { createClient } from './create-client.js';
export type { WebSocketConstructor, WebSocketLike } from './web-socket-like.js';
