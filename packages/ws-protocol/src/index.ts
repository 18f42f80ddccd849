export type {
  AutoTagProgress,
  CaptionProgress,
  Change,
  CivtagErrorOptions,
  ImageChange,
  ImportProgress,
  TagOp,
} from '@civtag/api-models';
// The error family of the wire, so a client needs no second import to handle a reject.
export { CivtagError, ErrorCode, RETRYABLE_ERROR_CODES } from '@civtag/api-models';
export type {
  ClientFrame,
  ClientFrameType,
  HelloFrame,
  OpFrame,
  PingFrame,
} from './client-frames.js';
export {
  ClientFrameSchema,
  HelloFrameSchema,
  OpFrameSchema,
  PingFrameSchema,
} from './client-frames.js';
export { CloseCode, FINAL_CLOSE_CODES, isFinalCloseCode } from './close-code.js';
export { decodeClientFrame } from './decode-client-frame.js';
export type { DecodeOptions, FrameInput } from './decode-frame.js';
export { decodeServerFrame } from './decode-server-frame.js';
export type { EncodeOptions } from './encode-frame.js';
export { encodeFrame } from './encode-frame.js';
export type {
  ProtocolErrorCode,
  ProtocolErrorDetails,
  ProtocolProblem,
} from './protocol-error.js';
export { ProtocolError } from './protocol-error.js';
export type {
  AckFrame,
  CaptionsFrame,
  ChangeFrame,
  ErrorFrame,
  PongFrame,
  ProgressFrame,
  RejectFrame,
  ReloadFrame,
  ServerFrame,
  ServerFrameType,
  ShutdownFrame,
  TaggingFrame,
  WelcomeFrame,
} from './server-frames.js';
export {
  AckFrameSchema,
  CaptionsFrameSchema,
  ChangeFrameSchema,
  ErrorFrameSchema,
  PongFrameSchema,
  ProgressFrameSchema,
  RejectFrameSchema,
  ReloadFrameSchema,
  ServerFrameSchema,
  ShutdownFrameSchema,
  TaggingFrameSchema,
  WelcomeFrameSchema,
} from './server-frames.js';
export { utf8Length } from './utf8-length.js';
export { DEFAULT_MAX_FRAME_BYTES, PROTOCOL_VERSION } from './version.js';
