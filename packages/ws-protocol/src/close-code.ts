/**
 * The close codes of a civtag socket. 1000–1011 are the WebSocket standard's
 * (RFC 6455 §7.4.1); 4000–4999 are civtag's own.
 */
export const CloseCode = {
  /** Either side closed on purpose; a client that still wants to be connected reconnects. */
  NORMAL: 1000,
  /** The server is shutting down or restarting (sent after a `shutdown` frame); reconnect later. */
  GOING_AWAY: 1001,
  /** Never sent: what a side observes when the connection dropped without a close frame. */
  ABNORMAL: 1006,
  /** The server refuses this client (its Host or Origin check failed); reconnecting does not help. */
  POLICY_VIOLATION: 1008,
  /** A frame was larger than the receiver's limit (default 1 MiB). */
  MESSAGE_TOO_BIG: 1009,
  /** The server hit an unexpected condition; reconnect with back-off. */
  INTERNAL_ERROR: 1011,
  /** The client sent no `hello` in time after the socket opened; reconnect. */
  HELLO_TIMEOUT: 4000,
  /** No valid token was given; reconnect only with a fresh token (a `url` function). */
  UNAUTHORIZED: 4001,
  /** The client speaks another protocol version; update or reload the client. */
  PROTOCOL_VERSION_MISMATCH: 4002,
  /** The client read too slowly (the server's buffer for it passed its bound); reconnect and catch up. */
  TOO_SLOW_READER: 4003,
  /** A newer connection with the same client id took this one's place; do not reconnect. */
  REPLACED: 4004,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * Close codes after which a client stops for good rather than reconnect: retrying cannot
 * succeed (policy, version) or would fight another connection (replaced).
 * `UNAUTHORIZED` is not here: a client whose `url` makes a fresh token per attempt may
 * succeed on the next one (`@civtag/ws-client` retries it only then).
 */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set<number>([
  CloseCode.POLICY_VIOLATION,
  CloseCode.PROTOCOL_VERSION_MISMATCH,
  CloseCode.REPLACED,
]);

/** True when a client should not reconnect after a close with `code`. */
export function isFinalCloseCode(code: number): boolean {
  return FINAL_CLOSE_CODES.has(code);
}
