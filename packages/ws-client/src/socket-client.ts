import {
  CivtagError,
  CloseCode,
  decodeClientFrame,
  ErrorCode,
  encodeFrame,
  isFinalCloseCode,
  PROTOCOL_VERSION,
  type ServerFrame,
  type TagOp,
  utf8Length,
  type WelcomeFrame,
} from '@civtag/ws-protocol';
import { backoffDelay, shutdownDelay } from './backoff.js';
import type { CivtagClient, ClientEvents, ClientStatus, SendOptions } from './civtag-client.js';
import type { ResolvedClientOptions } from './client-options.js';
import { Connection, type ConnectionLoss } from './connection.js';
import { finalCloseError } from './final-close-error.js';
import { type PendingOp, PendingOps } from './pending-ops.js';
import { randomId } from './random-id.js';
import { TypedEvents } from './typed-events.js';

/** The client behind `createClient`: one connection at a time, and the state that outlives them. */
export class SocketClient implements CivtagClient {
  readonly clientId: string;
  readonly #options: ResolvedClientOptions;
  readonly #events = new TypedEvents<ClientEvents>();
  readonly #pending: PendingOps;
  readonly #opPrefix = randomId('o');
  #opCount = 0;
  #status: ClientStatus = 'connecting';
  #revision: number | undefined;
  #datasetId: string | undefined;
  #connection: Connection | undefined;
  #attempt = 0;
  /** Ops sent on the current connection and not yet answered. */
  #inFlight = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The wait a `shutdown` frame asked for, used once instead of the back-off. */
  #shutdownWaitMs: number | undefined;

  constructor(options: ResolvedClientOptions) {
    this.#options = options;
    this.clientId = options.clientId;
    this.#revision = options.since;
    this.#pending = new PendingOps(options.queue);
    queueMicrotask(() => {
      this.#setStatus('connecting');
      void this.#connect();
    });
  }

  get status(): ClientStatus {
    return this.#status;
  }
  get revision(): number | undefined {
    return this.#revision;
  }
  get pending(): number {
    return this.#pending.size;
  }

  on<Name extends keyof ClientEvents>(
    name: Name,
    listener: (payload: ClientEvents[Name]) => void,
  ): () => void {
    return this.#events.on(name, listener);
  }

  send(op: TagOp, options: SendOptions = {}): Promise<{ revision: number }> {
    if (this.#status === 'closed') {
      return Promise.reject(
        new CivtagError(
          ErrorCode.CLIENT_CLOSED,
          'The client is closed; create a new one to send ops.',
        ),
      );
    }
    const opId = options.opId ?? `${this.#opPrefix}.${++this.#opCount}`;
    let text: string;
    try {
      text = this.#encodeOp(opId, op);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      // Throws QUEUE_FULL before anything is kept, which rejects this promise at once.
      this.#pending.add({ opId, text, bytes: utf8Length(text), resolve, reject });
      this.#pump();
    });
  }

  close(): void {
    this.#stop(
      new CivtagError(
        ErrorCode.CLIENT_CLOSED,
        'The client was closed before the server acknowledged this op; it may or may not have been applied.',
      ),
    );
  }

  #encodeOp(opId: string, op: TagOp): string {
    if (this.#pending.has(opId)) {
      throw new CivtagError(
        ErrorCode.CONFLICT,
        `The op id "${opId}" is already pending; give each op its own id.`,
      );
    }
    const maxBytes = this.#options.maxFrameBytes;
    const text = encodeFrame(
      { v: PROTOCOL_VERSION, type: 'op', id: opId, data: { op } },
      { maxBytes },
    );
    try {
      // The server's own check, made here, so a bad op fails now rather than after a round trip.
      decodeClientFrame(text, { maxBytes });
    } catch (error) {
      const message = (error as CivtagError).message.replace(/^Invalid op frame: /, '');
      throw new CivtagError(ErrorCode.VALIDATION, `The op was not sent: ${message}`, {
        cause: error,
        details: (error as CivtagError).details,
      });
    }
    return text;
  }

  async #connect(): Promise<void> {
    this.#retryTimer = undefined;
    let url: string;
    try {
      url = await this.#options.url();
    } catch (cause) {
      if (this.#status === 'closed') return;
      this.#report(cause, 'The url function failed');
      this.#scheduleRetry();
      return;
    }
    if (this.#status === 'closed') return;
    let connection: Connection;
    try {
      connection = new Connection(new this.#options.WebSocket(url), this.#options, this.#revision);
    } catch (cause) {
      this.#report(cause, 'The socket could not be opened');
      this.#scheduleRetry();
      return;
    }
    this.#connection = connection;
    connection.listen({
      welcome: (data) => this.#welcome(data),
      frame: (frame) => this.#receive(connection, frame),
      unreadable: (error) => this.#events.emit('error', error),
      lost: (loss) => this.#lost(connection, loss),
    });
  }

  #welcome(data: WelcomeFrame['data']): void {
    this.#attempt = 0;
    const datasetChanged = this.#datasetId !== undefined && this.#datasetId !== data.datasetId;
    this.#datasetId = data.datasetId;
    const previous = this.#revision;
    this.#inFlight = 0;
    this.#status = 'open';
    // Resend before any listener can send, so that old ops stay ahead of new ones.
    this.#pump();
    this.#setStatus('open');
    const { serverVersion, datasetId, revision } = data;
    this.#events.emit('welcome', { serverVersion, datasetId, revision });
    if (previous === undefined) this.#revision = revision;
    else if (datasetChanged || revision < previous) {
      // The server forgot what this client saw (another dataset, or state lost): start over.
      this.#revision = revision;
      this.#events.emit('reload', { revision });
    }
  }

  #receive(connection: Connection, frame: Exclude<ServerFrame, WelcomeFrame>): void {
    switch (frame.type) {
      case 'ack':
        this.#answered(connection, frame.id)?.resolve({ revision: frame.data.revision });
        return;
      case 'reject': {
        const { code, message, details } = frame.data;
        // Not applied because the server is going away: keep it for the next connection.
        const keep = code === ErrorCode.SHUTTING_DOWN;
        const error = new CivtagError(code as ErrorCode, message, details && { details });
        this.#answered(connection, frame.id, keep)?.reject(error);
        return;
      }
      case 'change':
        if (this.#revision !== undefined && frame.data.revision <= this.#revision) return;
        this.#revision = frame.data.revision;
        this.#events.emit('change', frame.data);
        return;
      case 'reload':
        this.#revision = frame.data.revision;
        this.#events.emit('reload', { revision: frame.data.revision });
        return;
      case 'progress':
        this.#events.emit('progress', frame.data);
        return;
      case 'shutdown':
        this.#shutdownWaitMs = shutdownDelay(frame.data.retryAfterMs, this.#options.backoff);
        connection.abandon(CloseCode.NORMAL, 'the server is shutting down');
        this.#lost(connection, { code: CloseCode.GOING_AWAY, reason: frame.data.reason });
        return;
      case 'error': {
        const { code, message, details } = frame.data;
        this.#events.emit(
          'error',
          new CivtagError(code as ErrorCode, message, details && { details }),
        );
        return;
      }
      case 'pong':
        return;
    }
  }

  /** Takes the op `opId` out of flight (and out of the queue unless `keep`), and sends the next. */
  #answered(connection: Connection, opId: string, keep = false): PendingOp | undefined {
    const op = this.#pending.get(opId);
    if (op === undefined) return undefined;
    if (op.sentOn === connection) this.#inFlight--;
    if (!keep) this.#pending.take(opId);
    this.#pump();
    return keep ? undefined : op;
  }

  /** Sends waiting ops in order while the connection is open and the window has room. */
  #pump(): void {
    const connection = this.#connection;
    if (this.#status !== 'open' || connection === undefined) return;
    const { maxInFlight } = this.#options.queue;
    for (const op of this.#pending.values()) {
      if (this.#inFlight >= maxInFlight) return;
      if (op.sentOn === connection) continue;
      if (!connection.send(op.text)) return;
      op.sentOn = connection;
      this.#inFlight++;
    }
  }

  #lost(connection: Connection, loss: ConnectionLoss): void {
    if (connection !== this.#connection || this.#status === 'closed') return;
    this.#connection = undefined;
    if (loss.error !== undefined) this.#events.emit('error', loss.error);
    const unauthorised = loss.code === CloseCode.UNAUTHORIZED && !this.#options.urlIsFunction;
    if (isFinalCloseCode(loss.code) || unauthorised) {
      const error = finalCloseError(loss.code, loss.reason);
      this.#events.emit('error', error);
      this.#stop(error);
      return;
    }
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    const delay = this.#shutdownWaitMs ?? backoffDelay(this.#attempt, this.#options.backoff);
    this.#shutdownWaitMs = undefined;
    this.#attempt++;
    this.#setStatus('reconnecting', delay);
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
  }

  #stop(error: CivtagError): void {
    if (this.#status === 'closed') return;
    clearTimeout(this.#retryTimer);
    this.#connection?.abandon(CloseCode.NORMAL, 'client closed');
    this.#connection = undefined;
    this.#status = 'closed';
    for (const op of this.#pending.drain()) op.reject(error);
    this.#setStatus('closed');
  }

  #report(cause: unknown, what: string): void {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = CivtagError.isInstance(cause)
      ? cause
      : new CivtagError(ErrorCode.INTERNAL, `${what}: ${reason}; retrying.`, { cause });
    this.#events.emit('error', error);
  }

  #setStatus(status: ClientStatus, retryInMs?: number): void {
    this.#status = status;
    const event = { status, queued: this.#pending.size, attempt: this.#attempt };
    this.#events.emit('status', retryInMs === undefined ? event : { ...event, retryInMs });
  }
}
