import type { TagOp } from '@civtag/api-models';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import type { ClientFrame, HelloFrame } from '@civtag/ws-protocol';
import { CloseCode, decodeClientFrame, PROTOCOL_VERSION, ProtocolError } from '@civtag/ws-protocol';
import type { RawData } from 'ws';
import type { OpRunner } from '../op-runner.js';
import type { ClientConnection } from './client-connection.js';
import { encodeChange } from './client-connection.js';
import type { HubDataset } from './hub-dataset.js';

/** What the frame handler needs from the hub. */
export interface FrameHandlerOptions {
  dataset: HubDataset;
  ops: Pick<OpRunner, 'apply'>;
  /** Every open connection (a newer hello of the same client replaces an older one). */
  connections: ReadonlySet<ClientConnection>;
  serverVersion: string;
  maxFrameBytes: number;
  maxBufferedBytes: number;
  onFault: (error: unknown) => void;
}

/** Reads the frames of every connection and answers them. */
export interface FrameHandler {
  receive(connection: ClientConnection, raw: RawData): void;
  /** Resolves once every op received so far has been answered. */
  settled(): Promise<void>;
}

/**
 * The protocol of DESIGN §4 for one hub: `hello` → `welcome` and the replay (or `reload`),
 * `op` → `ack`/`reject` in the order sent, `ping` → `pong`, and an `error` frame for a frame
 * that cannot be read (the connection stays).
 */
export function createFrameHandler(options: FrameHandlerOptions): FrameHandler {
  const { dataset, ops, connections, maxBufferedBytes, maxFrameBytes, onFault } = options;
  const pendingOps = new Set<Promise<void>>();

  function greet(connection: ClientConnection, hello: HelloFrame['data']): void {
    for (const other of connections) {
      if (other !== connection && other.clientId === hello.clientId) {
        void other.close(CloseCode.REPLACED, 'replaced by a newer connection of the same client');
      }
    }
    connection.clientId = hello.clientId;
    const revision = dataset.revision;
    connection.send({
      v: PROTOCOL_VERSION,
      type: 'welcome',
      data: {
        protocol: PROTOCOL_VERSION,
        serverVersion: options.serverVersion,
        datasetId: dataset.id,
        revision,
      },
    });
    // Replay and joining the broadcast happen in one turn of the event loop: no change falls between.
    if (hello.since === undefined) {
      connection.lastRevision = revision;
      return;
    }
    const missed =
      hello.since > revision ? ({ reload: true } as const) : dataset.changesSince(hello.since);
    const encoded = missed.reload ? [] : missed.changes.map((change) => encodeChange(change));
    const bytes = encoded.reduce(
      (total, text) => total + (text?.length ?? Number.POSITIVE_INFINITY),
      0,
    );
    // A replay larger than half the slow-reader bound would get the client dropped: reload instead.
    if (missed.reload || bytes > maxBufferedBytes / 2) {
      connection.send({ v: PROTOCOL_VERSION, type: 'reload', data: { revision } });
      connection.lastRevision = revision;
      return;
    }
    connection.lastRevision = hello.since;
    for (const [index, change] of missed.changes.entries())
      connection.sendChange(change, encoded[index]);
  }

  /**
   * Applies a client's op and acknowledges it once it is durable (journaled), before its
   * captions are written; the connection's next op may start then, and acks keep their order
   * because the dataset applies ops one at a time. A caption write that fails after the ack does
   * not fail the op (the dataset resolves with `captionsPending` and its writer retries). Should
   * anything else fail once the op is acknowledged, the client gets an `error` frame, never a
   * `reject` of an op it was told is saved.
   */
  function runOp(connection: ClientConnection, opId: string, op: TagOp): void {
    const work = connection.queue.then(
      () =>
        new Promise<void>((settled) => {
          let acknowledged = false;
          const acknowledge = (revision: number) => {
            if (acknowledged) return;
            acknowledged = true;
            connection.send({ v: PROTOCOL_VERSION, type: 'ack', id: opId, data: { revision } });
            settled();
          };
          ops
            .apply(op, {
              clientId: connection.clientId,
              opId,
              onDurable: (change) => acknowledge(change.revision),
            })
            .then(
              (applied) => acknowledge(applied.revision),
              (error: unknown) => {
                if (!CivtagError.isInstance(error)) onFault(error);
                if (acknowledged) connection.sendError(error);
                else connection.sendReject(opId, error);
                settled();
              },
            );
        }),
    );
    connection.queue = work;
    pendingOps.add(work);
    void work.then(() => pendingOps.delete(work));
  }

  function refuseFrame(connection: ClientConnection, error: unknown): void {
    if (error instanceof ProtocolError && error.details.problem === 'version') {
      void connection.close(
        CloseCode.PROTOCOL_VERSION_MISMATCH,
        `this server speaks protocol ${PROTOCOL_VERSION}`,
      );
    } else if (
      error instanceof ProtocolError &&
      error.details.frameType === 'op' &&
      error.details.frameId !== undefined
    ) {
      connection.sendReject(error.details.frameId, error);
    } else {
      connection.sendError(error);
    }
  }

  /** Connections whose `hello` waits for the dataset to catch up: their next frames wait too. */
  const catchingUp = new WeakMap<ClientConnection, Promise<void>>();

  /**
   * Greets a client; one that has seen a newer revision than this server's (it was served by
   * another server of a shared store) is greeted once this server has read the changes in
   * between, so that it resumes instead of reloading.
   */
  function hello(connection: ClientConnection, data: HelloFrame['data']): void {
    if (!dataset.sharedStore || data.since === undefined || data.since <= dataset.revision) {
      greet(connection, data);
      return;
    }
    const caughtUp = dataset
      .catchUp()
      .catch(() => undefined)
      .then(() => {
        catchingUp.delete(connection);
        if (!connection.greeted) greet(connection, data);
      });
    catchingUp.set(connection, caughtUp);
  }

  function receive(connection: ClientConnection, raw: RawData): void {
    const waiting = catchingUp.get(connection);
    if (waiting !== undefined) {
      void waiting.then(() => receive(connection, raw));
      return;
    }
    connection.alive = true;
    let frame: ClientFrame;
    try {
      const bytes = Array.isArray(raw)
        ? Buffer.concat(raw)
        : Buffer.isBuffer(raw)
          ? raw
          : Buffer.from(raw);
      frame = decodeClientFrame(bytes, { maxBytes: maxFrameBytes });
    } catch (error) {
      refuseFrame(connection, error);
      return;
    }
    if (frame.type === 'ping') {
      connection.send({ v: PROTOCOL_VERSION, type: 'pong', data: {} });
    } else if (frame.type === 'hello') {
      if (connection.greeted)
        refuseFrame(
          connection,
          new CivtagError(ErrorCode.PROTOCOL, 'Send "hello" once per connection.'),
        );
      else hello(connection, frame.data);
    } else if (!connection.greeted) {
      connection.sendReject(
        frame.id,
        new CivtagError(ErrorCode.PROTOCOL, 'Send "hello" first: it must be the first frame.'),
      );
    } else {
      runOp(connection, frame.id, frame.data.op);
    }
  }

  return {
    receive,
    async settled() {
      while (pendingOps.size > 0) await Promise.all(pendingOps);
    },
  };
}
