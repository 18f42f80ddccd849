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
  resolve(result: { revision: number }): void;
  reject(error: CivtagError): void;
}

/**
 * The ops not yet acknowledged, in the order they were made, bounded by count and bytes.
 * Ops stay here while offline and while in flight, so a reconnect resends each of them.
 */
export class PendingOps {
  readonly #ops = new Map<string, PendingOp>();
  readonly #limits: Required<QueueOptions>;
  #bytes = 0;

  constructor(limits: Required<QueueOptions>) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#ops.size;
  }

  has(opId: string): boolean {
    return this.#ops.has(opId);
  }

  get(opId: string): PendingOp | undefined {
    return this.#ops.get(opId);
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

  /** Removes and returns the op `opId`, if it is still pending. */
  take(opId: string): PendingOp | undefined {
    const op = this.#ops.get(opId);
    if (op === undefined) return undefined;
    this.#ops.delete(opId);
    this.#bytes -= op.bytes;
    return op;
  }

  /** The pending ops, oldest first. */
  values(): IterableIterator<PendingOp> {
    return this.#ops.values();
  }

  /** Removes and returns every pending op, oldest first. */
  drain(): PendingOp[] {
    const all = [...this.#ops.values()];
    this.#ops.clear();
    this.#bytes = 0;
    return all;
  }
}
