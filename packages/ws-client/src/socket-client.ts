import {
  CivtagError,
  CloseCode,
  ErrorCode,
  isFinalCloseCode,
  type ServerFrame,
  type TagOp,
  utf8Length,
  type WelcomeFrame,
} from '@civtag/ws-protocol';
import type { CivtagClient, ClientEvents, ClientStatus, SendOptions } from './civtag-client.js';
import type { ResolvedClientOptions } from './client-options.js';
import { Connection, type ConnectionLoss } from './connection.js';
import { finalCloseError } from './final-close-error.js';
import { HoldSchedule } from './hold-schedule.js';
import { encodeOpFrame } from './op-frame.js';
import { PendingOps } from './pending-ops.js';
import { randomId } from './random-id.js';
import { ReconnectSchedule } from './reconnect-schedule.js';
import { RevisionTracker } from './revision-tracker.js';
import { resolveSocketUrl } from './socket-url.js';
import { TypedEvents } from './typed-events.js';

/** The client behind `createClient`: one connection at a time, and the state that outlives them. */
export class SocketClient implements CivtagClient {
  readonly clientId: string;
  readonly #options: ResolvedClientOptions;
  readonly #events = new TypedEvents<ClientEvents>();
  readonly #pending: PendingOps;
  readonly #schedule: ReconnectSchedule;
  readonly #hold: HoldSchedule;
  /** Set while ops wait for room on the server's disk, until one of them goes through. */
  #heldBy: CivtagError | undefined;
  readonly #opPrefix = randomId('o');
  #opCount = 0;
  #status: ClientStatus = 'connecting';
  readonly #revisions: RevisionTracker;
  #connection: Connection | undefined;

  constructor(options: ResolvedClientOptions) {
    this.#options = options;
    this.clientId = options.clientId;
    this.#revisions = new RevisionTracker(options.since);
    this.#pending = new PendingOps(options.queue);
    this.#schedule = new ReconnectSchedule(options.backoff);
    this.#hold = new HoldSchedule(options.backoff);
    queueMicrotask(() => {
      if (this.#status === 'closed') return;
      this.#setStatus('connecting');
      void this.#connect();
    });
  }

  get status(): ClientStatus {
    return this.#status;
  }
  get revision(): number | undefined {
    return this.#revisions.revision;
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
    return new Promise((resolve, reject) => {
      // Everything thrown here rejects the promise at once; nothing is queued then.
      if (this.#status === 'closed') {
        throw new CivtagError(
          ErrorCode.CLIENT_CLOSED,
          'The client is closed; create a new one to send ops.',
        );
      }
      const opId = options.opId ?? `${this.#opPrefix}.${++this.#opCount}`;
      if (this.#pending.has(opId)) {
        throw new CivtagError(
          ErrorCode.CONFLICT,
          `The op id "${opId}" is already pending; give each op its own id.`,
        );
      }
      const text = encodeOpFrame(opId, op, this.#options.maxFrameBytes);
      this.#pending.add({ opId, text, bytes: utf8Length(text), resolve, reject });
      if (this.#status === 'open' && this.#connection) this.#pending.sendWaiting(this.#connection);
    });
  }

  close(): void {
    const message =
      'The client was closed before the server acknowledged this op; it may or may not have been applied.';
    this.#stop(new CivtagError(ErrorCode.CLIENT_CLOSED, message));
  }

  async #connect(): Promise<void> {
    let url: string;
    try {
      url = await resolveSocketUrl(this.#options);
    } catch (cause) {
      if (this.#status !== 'closed') this.#retryAfter(cause, 'The url function failed');
      return;
    }
    if (this.#status === 'closed') return;
    let connection: Connection;
    try {
      connection = new Connection(
        new this.#options.WebSocket(url),
        this.#options,
        this.#revisions.revision,
      );
    } catch (cause) {
      this.#retryAfter(cause, 'The socket could not be opened');
      return;
    }
    this.#connection = connection;
    connection.listen({
      welcome: (data) => this.#welcome(connection, data),
      frame: (frame) => this.#receive(connection, frame),
      unreadable: (error) => this.#events.emit('error', error),
      lost: (loss) => this.#lost(connection, loss),
    });
  }

  #welcome(connection: Connection, data: WelcomeFrame['data']): void {
    this.#schedule.succeeded();
    const { serverVersion, datasetId, revision } = data;
    const startOver = this.#revisions.welcome(datasetId, revision);
    this.#status = 'open';
    // Resend before any listener can send, so that old ops stay ahead of new ones.
    this.#hold.cancel();
    this.#pending.connected();
    this.#pending.sendWaiting(connection);
    this.#setStatus('open');
    this.#events.emit('welcome', { serverVersion, datasetId, revision });
    if (startOver) this.#events.emit('reload', { revision });
  }

  #receive(connection: Connection, frame: Exclude<ServerFrame, WelcomeFrame>): void {
    switch (frame.type) {
      case 'ack':
        this.#pending.answered(connection, frame.id, 'settled')?.resolve(frame.data);
        this.#wentThrough();
        break;
      case 'reject': {
        const { code, message, details } = frame.data;
        const error = new CivtagError(code as ErrorCode, message, details && { details });
        if (code === ErrorCode.DISK_FULL) {
          // Not saved, and the server goes on: the op waits, first in line, and is sent again.
          this.#pending.answered(connection, frame.id, 'later');
          this.#holdFor(connection, error);
          return;
        }
        // Not applied because the server is going away: kept for the next connection.
        const answer = code === ErrorCode.SHUTTING_DOWN ? 'next-connection' : 'settled';
        this.#pending.answered(connection, frame.id, answer)?.reject(error);
        break;
      }
      case 'change':
        if (this.#revisions.advance(frame.data.revision)) this.#events.emit('change', frame.data);
        return;
      case 'reload':
        this.#revisions.reload(frame.data.revision);
        this.#events.emit('reload', { revision: frame.data.revision });
        return;
      case 'progress':
        this.#events.emit('progress', frame.data);
        return;
      case 'captions':
        this.#events.emit('captions', frame.data);
        return;
      case 'tagging':
        this.#events.emit('tagging', frame.data);
        return;
      case 'shutdown':
        this.#schedule.serverShuttingDown(frame.data.retryAfterMs);
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
    // An answer frees a place in the window.
    if (this.#connection === connection) this.#pending.sendWaiting(connection);
  }

  /** Ops were refused for lack of disk space: they are sent again after a wait. */
  #holdFor(connection: Connection, error: CivtagError): void {
    const retryInMs = this.#hold.schedule(() => {
      if (this.#connection !== connection) return;
      this.#pending.resume();
      this.#pending.sendWaiting(connection);
    });
    if (retryInMs === undefined) return;
    this.#heldBy = error;
    this.#events.emit('held', { held: true, error, queued: this.#pending.size, retryInMs });
  }

  /** An op was acknowledged: a hold for disk space (if any) is over. */
  #wentThrough(): void {
    this.#hold.succeeded();
    if (this.#heldBy === undefined || this.#pending.holding) return;
    this.#heldBy = undefined;
    this.#events.emit('held', { held: false, queued: this.#pending.size });
  }

  #lost(connection: Connection, loss: ConnectionLoss): void {
    if (connection !== this.#connection || this.#status === 'closed') return;
    this.#connection = undefined;
    this.#hold.cancel();
    if (loss.error !== undefined) this.#events.emit('error', loss.error);
    const unauthorised = loss.code === CloseCode.UNAUTHORIZED && !this.#options.urlIsFunction;
    if (isFinalCloseCode(loss.code) || unauthorised) {
      const error = finalCloseError(loss.code, loss.reason);
      this.#events.emit('error', error);
      this.#stop(error);
      return;
    }
    this.#retryAfter();
  }

  /** Reports `cause` (if any) and schedules the next attempt. */
  #retryAfter(cause?: unknown, what?: string): void {
    if (cause !== undefined) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      const error = CivtagError.isInstance(cause)
        ? cause
        : new CivtagError(ErrorCode.INTERNAL, `${what}: ${reason}; retrying.`, { cause });
      this.#events.emit('error', error);
    }
    const delay = this.#schedule.schedule(() => void this.#connect());
    this.#setStatus('reconnecting', delay);
  }

  #stop(error: CivtagError): void {
    if (this.#status === 'closed') return;
    this.#schedule.cancel();
    this.#hold.cancel();
    this.#connection?.abandon(CloseCode.NORMAL, 'client closed');
    this.#connection = undefined;
    this.#status = 'closed';
    for (const op of this.#pending.drain()) op.reject(error);
    this.#setStatus('closed');
  }

  #setStatus(status: ClientStatus, retryInMs?: number): void {
    this.#status = status;
    const event = { status, queued: this.#pending.size, attempt: this.#schedule.attempt };
    this.#events.emit('status', retryInMs === undefined ? event : { ...event, retryInMs });
  }
}
