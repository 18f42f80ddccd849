/**
 * The part of a WebSocket the client uses. The browser's `WebSocket` and the `ws` package's
 * both fit; handlers are assigned as properties, which both support.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `ws` has it: drops the connection at once, without waiting for a close handshake. */
  terminate?(): void;
  onopen: Handler<unknown>;
  onmessage: Handler<{ data: unknown }>;
  onclose: Handler<{ code: number; reason: string }>;
  onerror: Handler<unknown>;
}

// Written as a method so that the browser's and `ws`'s handler types, which name richer
// event types, are accepted (method parameters are compared both ways).
type Handler<Event> = { handle(event: Event): void }['handle'] | null;

/** A WebSocket constructor: `globalThis.WebSocket` in browsers, `WebSocket` from `ws` in Node. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** `readyState` of an open socket. */
export const OPEN_STATE = 1;
