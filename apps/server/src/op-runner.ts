import type { Change, TagOp } from '@civtag/api-models';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import type { AppliedChange, Dataset, OpMeta } from '@civtag/core';

/** Who sent an op: the key under which a resend is recognised and applied once. */
export interface OpOrigin {
  clientId?: string | undefined;
  opId?: string | undefined;
  /** Called once the op is durable, before its captions are written (see core's `OpMeta`). */
  onDurable?: ((change: Change) => void) | undefined;
}

/**
 * The one road from a client's op to the dataset, for `POST /api/ops` and the socket alike:
 * the idempotency key, refusal during a shutdown, and the ops in flight that a shutdown waits for.
 */
export interface OpRunner {
  /**
   * Applies `op` (validated where it came in: the HTTP body or the socket frame); resolves once
   * it is durable and its captions are written, or left to the caption writer's retry when the
   * disk refuses them (`captionsPending`): an op that was journaled is never answered as failed.
   */
  apply(op: TagOp, origin?: OpOrigin): Promise<AppliedChange>;
  undo(origin?: OpOrigin): Promise<AppliedChange>;
  redo(origin?: OpOrigin): Promise<AppliedChange>;
  /** Refuses new ops with `SHUTTING_DOWN` and resolves when the ops in flight have settled. */
  drain(): Promise<void>;
}

/** Makes the op runner of a dataset. */
export function createOpRunner(dataset: Dataset): OpRunner {
  const inFlight = new Set<Promise<unknown>>();
  let draining = false;

  function run(work: () => Promise<AppliedChange>): Promise<AppliedChange> {
    if (draining) {
      return Promise.reject(
        new CivtagError(
          ErrorCode.SHUTTING_DOWN,
          'civtag is shutting down; the op was not applied. Send it again once the server is back.',
        ),
      );
    }
    const pending = work();
    const tracked = pending.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(tracked);
    void tracked.then(() => inFlight.delete(tracked));
    return pending;
  }

  function meta(origin: OpOrigin | undefined): OpMeta {
    const result: OpMeta = {};
    if (origin?.clientId !== undefined) result.clientId = origin.clientId;
    if (origin?.opId !== undefined) result.opId = origin.opId;
    if (origin?.onDurable !== undefined) result.onDurable = origin.onDurable;
    return result;
  }

  return {
    apply(op, origin) {
      return run(() => dataset.apply(op, meta(origin)));
    },
    undo(origin) {
      return run(() => dataset.undo(meta(origin)));
    },
    redo(origin) {
      return run(() => dataset.redo(meta(origin)));
    },
    async drain() {
      draining = true;
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
