import { CivtagError, ErrorCode } from '@civtag/ws-protocol';
import type { QueueOptions } from './client-options.js';

/** An op sent or waiting to be sent, until the server acknowledges or rejects it. */
export interface PendingOp {
  opId: string;
  /** The encoded `op` frame, resent as is after a reconnect. */
  text: string;
  bytes: number;
  /** The connection it was last sent on; it is sent again on any other. */
  sentOn?: object;
  /** The connection that turned it away for now (`SHUTTING_DOWN`); it waits for the next one. */
  heldOn?: object;
  resolve(result: { revision: number }): void;
  reject(error: CivtagError): void;
}

/**
 * What becomes of an answered op: `settled` leaves the queue (acknowledged, or refused for good);
 * `next-connection` waits for the next connection (`SHUTTING_DOWN`); `later` stays first in line
 * and holds back the whole queue until {@link PendingOps.resume} (`DISK_FULL`: sent again on the
 * same connection after a wait, still ahead of the ops made after it).
 */
export type Answer = 'settled' | 'next-connection' | 'later';

/** Where pending ops are sent: the current connection. */
export interface OpSink {
  /** False when the socket cannot take it now (the op is sent on the next connection). */
  send(text: string): boolean;
}

/**
 * The ops not yet acknowledged, in the order they were made, bounded by count and bytes.
 * They stay here while offline and while in flight, so a reconnect resends each of them; at
 * most `maxInFlight` are out on one connection at a time, always the oldest, in order.
 */
export class PendingOps {
  readonly #ops = new Map<string, PendingOp>();
  readonly #limits: Required<QueueOptions>;
  #bytes = 0;
  #inFlight = 0;
  #holding = false;

  constructor(limits: Required<QueueOptions>) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#ops.size;
  }

  /** True while an op the server refused for now (`later`) holds back the queue. */
  get holding(): boolean {
    return this.#holding;
  }

  has(opId: string): boolean {
    return this.#ops.has(opId);
  }

  /**
   * Adds `op` at the end.
   * @throws CivtagError `QUEUE_FULL` when it would pass `maxOps` or `maxBytes`; nothing is added.
   */
  add(op: PendingOp): void {
    const { maxOps, maxBytes } = this.#limits;
    if (this.#ops.size + 1 > maxOps || this.#bytes + op.bytes > maxBytes) {
      throw new CivtagError(
        ErrorCode.QUEUE_FULL,
        `The op was not queued: ${this.#ops.size} ops (${this.#bytes} bytes) already wait for the server, and the queue holds at most ${maxOps} ops and ${maxBytes} bytes. Wait for the connection to come back (status "open") and send again.`,
        { details: { queued: this.#ops.size, queuedBytes: this.#bytes, maxOps, maxBytes } },
      );
    }
    this.#ops.set(op.opId, op);
    this.#bytes += op.bytes;
  }

  /** A new connection: nothing is in flight on it yet, and every op goes out again. */
  connected(): void {
    this.#inFlight = 0;
    this.#holding = false;
  }

  /** Ends a hold (`later`): the next {@link sendWaiting} sends the held ops again, oldest first. */
  resume(): void {
    this.#holding = false;
  }

  /** Sends waiting ops to `sink`, oldest first, while the window has room. */
  sendWaiting(sink: OpSink): void {
    if (this.#holding) return;
    for (const op of this.#ops.values()) {
      if (this.#inFlight >= this.#limits.maxInFlight) return;
      if (op.sentOn === sink || op.heldOn === sink) continue;
      if (!sink.send(op.text)) return;
      op.sentOn = sink;
      this.#inFlight++;
    }
  }

  /**
   * The server answered op `opId` on `sink`: it leaves the window, and the queue too when
   * `settled` (see {@link Answer}). Returns the op it removed.
   */
  answered(sink: OpSink, opId: string, answer: Answer): PendingOp | undefined {
    const op = this.#ops.get(opId);
    if (op === undefined) return undefined;
    if (op.sentOn === sink) this.#inFlight--;
    op.sentOn = undefined;
    if (answer === 'next-connection') {
      op.heldOn = sink;
      return undefined;
    }
    if (answer === 'later') {
      this.#holding = true;
      return undefined;
    }
    this.#ops.delete(opId);
    this.#bytes -= op.bytes;
    return op;
  }

  /** Removes and returns every pending op, oldest first. */
  drain(): PendingOp[] {
    const all = [...this.#ops.values()];
    this.#ops.clear();
    this.#bytes = 0;
    this.#inFlight = 0;
    return all;
  }
}
