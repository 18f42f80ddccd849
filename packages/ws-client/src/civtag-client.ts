import type {
  AutoTagProgress,
  CaptionProgress,
  Change,
  CivtagError,
  ImportProgress,
  TagOp,
} from '@civtag/ws-protocol';

/**
 * - `connecting`: the first attempt is under way.
 * - `open`: the server said `welcome`; ops go out at once.
 * - `reconnecting`: the connection was lost (or never made); the client waits, then tries again.
 * - `closed`: for good, after {@link CivtagClient.close} or a close code that forbids retrying.
 */
export type ClientStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Sent when the status changes, and for each scheduled reconnect attempt. */
export interface StatusEvent {
  status: ClientStatus;
  /** Ops not yet acknowledged (queued and in flight). */
  queued: number;
  /** Failed attempts since the last `welcome`. */
  attempt: number;
  /** With `reconnecting`: the wait before the next attempt, in ms. */
  retryInMs?: number;
}

/**
 * The server refused an op for now because its disk is full (`DISK_FULL`: nothing was saved):
 * the op stays queued, ahead of the ops made after it, and is sent again after `retryInMs`
 * (growing with each refusal, up to `backoff.maxMs`) until the server takes it. `held: false`
 * once it did: the ops went through.
 */
export type HeldEvent =
  | { held: true; error: CivtagError; queued: number; retryInMs: number }
  | { held: false; queued: number };

/** What the server said in `welcome`. */
export interface WelcomeEvent {
  serverVersion: string;
  datasetId: string;
  revision: number;
}

/** The events of a client and what their listeners receive. */
export interface ClientEvents {
  status: StatusEvent;
  welcome: WelcomeEvent;
  /** A change newer than any seen before (duplicates and old revisions are dropped). */
  change: Change;
  /** An import job's progress. */
  progress: ImportProgress;
  /** How many caption files the server still has to write behind acknowledged ops. */
  captions: CaptionProgress;
  /** How far the server's auto-tag job is; the proposals it stores arrive as `change` events. */
  tagging: AutoTagProgress;
  /** The client missed too much (or the dataset changed): fetch everything again over HTTP. */
  reload: { revision: number };
  /** A problem that did not stop the client: an unreadable frame, a dead connection, a server `error`. */
  error: CivtagError;
  /** Ops wait because the server's disk is full, or they went through again (see {@link HeldEvent}). */
  held: HeldEvent;
}

/** Options of {@link CivtagClient.send}. */
export interface SendOptions {
  /** The op id; unique per client id. Default: made by the client. Give your own to resend after a page reload. */
  opId?: string;
}

/** A reconnecting civtag socket; made by `createClient`. */
export interface CivtagClient {
  /** This client's id, sent in `hello` and found in the `change` frames of its own ops. */
  readonly clientId: string;
  readonly status: ClientStatus;
  /** The last revision seen (`since` until the first `welcome`, if given). */
  readonly revision: number | undefined;
  /** Ops not yet acknowledged. */
  readonly pending: number;
  /**
   * Sends `op`, or queues it while offline. Resolves with its revision once the server has
   * applied it (exactly once, even when resent after a reconnect).
   *
   * @throws (rejects) CivtagError with the server's code for a `reject` (`VALIDATION`,
   *   `NOT_FOUND`, …); `VALIDATION` at once for an op that does not fit the schema; `TOO_LARGE`
   *   for one over the frame limit; `QUEUE_FULL` at once when the queue is full; `CLIENT_CLOSED`
   *   when the client is (or gets) closed first. A `reject` with `SHUTTING_DOWN` is not final:
   *   the op waits and is sent again after the reconnect. Nor is one with `DISK_FULL`: the op
   *   (and every op after it) waits and is sent again on the same connection after a growing
   *   wait, until the server has room for it (the `held` event tells the user).
   */
  send(op: TagOp, options?: SendOptions): Promise<{ revision: number }>;
  /** Adds a listener; returns the function that removes it. */
  on<Name extends keyof ClientEvents>(
    name: Name,
    listener: (payload: ClientEvents[Name]) => void,
  ): () => void;
  /** Stops for good: closes the socket, stops reconnecting, rejects pending ops with `CLIENT_CLOSED`. */
  close(): void;
}
