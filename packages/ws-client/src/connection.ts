import {
  CivtagError,
  decodeServerFrame,
  ErrorCode,
  encodeFrame,
  type FrameInput,
  PROTOCOL_VERSION,
  type ServerFrame,
  type WelcomeFrame,
} from '@civtag/ws-protocol';
import type { ResolvedClientOptions } from './client-options.js';
import { OPEN_STATE, type WebSocketLike } from './web-socket-like.js';

/** Why a connection ended: the close frame's code, or a local reason. */
export interface ConnectionLoss {
  code: number;
  reason: string;
  /** Set when the client gave up on the connection itself (connect or heartbeat timeout). */
  error?: CivtagError;
}

export interface ConnectionHandlers {
  welcome(data: WelcomeFrame['data']): void;
  frame(frame: Exclude<ServerFrame, WelcomeFrame>): void;
  /** A frame that could not be read; the connection stays. */
  unreadable(error: CivtagError): void;
  /** Called once, when the connection is over; never after {@link Connection.abandon}. */
  lost(loss: ConnectionLoss): void;
}

const noop = (): void => {};

/**
 * One socket, from its opening to its loss: says `hello`, waits for `welcome` within the
 * connect timeout, then keeps a heartbeat. Abandoning it silences it for good, so a late
 * event from a dead socket can never touch the client's state.
 */
export class Connection {
  readonly #socket: WebSocketLike;
  readonly #options: ResolvedClientOptions;
  #handlers: ConnectionHandlers | undefined;
  #welcomed = false;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(socket: WebSocketLike, options: ResolvedClientOptions, since: number | undefined) {
    this.#socket = socket;
    this.#options = options;
    this.#connectTimer = setTimeout(
      () => this.#giveUp(`no welcome within ${options.connectTimeoutMs} ms`),
      options.connectTimeoutMs,
    );
    socket.onopen = () => {
      const data =
        since === undefined
          ? { clientId: options.clientId }
          : { clientId: options.clientId, since };
      this.send(encodeFrame({ v: PROTOCOL_VERSION, type: 'hello', data }));
    };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = (event) => this.#end({ code: event.code, reason: event.reason });
    // An error event is always followed by a close event, which is where the loss is handled.
    socket.onerror = noop;
  }

  /** Starts listening; separate from the constructor so the caller holds the instance first. */
  listen(handlers: ConnectionHandlers): void {
    this.#handlers = handlers;
  }

  /** Sends text if the socket is open; false when it is not (the op stays pending for the next connection). */
  send(text: string): boolean {
    if (this.#socket.readyState !== OPEN_STATE) return false;
    try {
      this.#socket.send(text);
      return true;
    } catch {
      // A socket that refuses to send is closing; its close event follows and the op is resent.
      return false;
    }
  }

  /** Stops every timer and handler and closes the socket with `code` (1000 or 4000–4999). */
  abandon(code: number, reason: string): void {
    this.#detach();
    this.#socket.close(code, reason);
  }

  #detach(): void {
    this.#handlers = undefined;
    this.#stopTimers();
    const socket = this.#socket;
    // No-ops rather than null: `ws` throws on an 'error' event that has no listener.
    socket.onopen = noop;
    socket.onmessage = noop;
    socket.onclose = noop;
    socket.onerror = noop;
  }

  #receive(data: unknown): void {
    const handlers = this.#handlers;
    if (handlers === undefined) return;
    // Anything at all from the server proves the connection alive.
    if (this.#pongTimer !== undefined) {
      clearTimeout(this.#pongTimer);
      this.#pongTimer = undefined;
    }
    let frame: ServerFrame;
    try {
      frame = decodeServerFrame(data as FrameInput, { maxBytes: this.#options.maxFrameBytes });
    } catch (error) {
      handlers.unreadable(error as CivtagError);
      return;
    }
    if (frame.type !== 'welcome') {
      if (this.#welcomed) handlers.frame(frame);
      return;
    }
    if (this.#welcomed) return;
    this.#welcomed = true;
    clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    this.#startHeartbeat();
    handlers.welcome(frame.data);
  }

  #startHeartbeat(): void {
    const { intervalMs, timeoutMs } = this.#options.heartbeat;
    const ping = encodeFrame({ v: PROTOCOL_VERSION, type: 'ping', data: {} });
    this.#pingTimer = setInterval(() => {
      if (this.#pongTimer !== undefined) return;
      this.send(ping);
      this.#pongTimer = setTimeout(
        () => this.#giveUp(`no answer within ${timeoutMs} ms of a ping`),
        timeoutMs,
      );
    }, intervalMs);
  }

  #giveUp(why: string): void {
    const error = new CivtagError(
      ErrorCode.TIMEOUT,
      `The connection looks dead: ${why}; reconnecting.`,
    );
    const handlers = this.#handlers;
    this.#detach();
    // A dead peer never answers a close handshake: drop the socket at once where possible.
    if (typeof this.#socket.terminate === 'function') this.#socket.terminate();
    else this.#socket.close(1000, 'timeout');
    handlers?.lost({ code: 1006, reason: why, error });
  }

  #end(loss: ConnectionLoss): void {
    const handlers = this.#handlers;
    this.#detach();
    handlers?.lost(loss);
  }

  #stopTimers(): void {
    clearTimeout(this.#connectTimer);
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    this.#connectTimer = this.#pingTimer = this.#pongTimer = undefined;
  }
}
