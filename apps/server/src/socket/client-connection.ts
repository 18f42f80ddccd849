import type { Change } from '@civtag/api-models';
import { CivtagError, ErrorCode, toErrorBody } from '@civtag/api-models';
import type { ServerFrame } from '@civtag/ws-protocol';
import {
  CloseCode,
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  PROTOCOL_VERSION,
} from '@civtag/ws-protocol';
import type { WebSocket } from 'ws';

/** How long a close handshake may take before the socket is destroyed. */
const CLOSE_GRACE_MS = 1000;

/**
 * Encodes a change frame, or `undefined` when it is over the frame limit (a bulk edit of many
 * thousands of images): such a client is told to reload over HTTP instead.
 */
export function encodeChange(change: Change): string | undefined {
  // A bulk change is known to be over the limit without encoding it (megabytes of JSON).
  if (leastEncodedLength(change) > DEFAULT_MAX_FRAME_BYTES) return undefined;
  try {
    return encodeFrame({ v: PROTOCOL_VERSION, type: 'change', data: change });
  } catch (error) {
    if (CivtagError.hasCode(error, ErrorCode.TOO_LARGE)) return undefined;
    throw error;
  }
}

/** A length the change's frame cannot be shorter than, counted without encoding it. */
function leastEncodedLength(change: Change): number {
  let length = 0;
  for (const image of change.changes) {
    // `{"imageId":"…","tags":[…],"rev":0}`: 32 characters around the id and tags.
    length += 32 + image.imageId.length + Math.max(0, image.tags.length - 1);
    for (const tag of image.tags) length += tag.length + 2;
  }
  return length + (change.added?.length ?? 0) * 32;
}

/**
 * One connected socket: what it has said (hello, client id), what it has been sent (the last
 * revision), and the guard on its outgoing buffer. The hub owns the protocol; this owns the wire.
 */
export class ClientConnection {
  readonly socket: WebSocket;
  readonly maxBufferedBytes: number;
  clientId: string | undefined;
  /** The highest revision this client has been sent, so a replayed change is never sent twice. */
  lastRevision = -1;
  /** Set when a pong (or any frame) arrived since the last ping. */
  alive = true;
  /** Ops of one client run one after another, in the order it sent them. */
  queue: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(socket: WebSocket, maxBufferedBytes: number) {
    this.socket = socket;
    this.maxBufferedBytes = maxBufferedBytes;
  }

  get greeted(): boolean {
    return this.clientId !== undefined;
  }

  get open(): boolean {
    return !this.closing && this.socket.readyState === this.socket.OPEN;
  }

  /**
   * Sends a frame unless the client is too slow to read: when what is still buffered for it is
   * over the bound, it is dropped (4003) rather than let it grow the server's memory.
   * `encoded` lets a broadcast encode once for every client.
   */
  send(frame: ServerFrame, encoded?: string): boolean {
    if (!this.open) return false;
    const text = encoded ?? encodeFrame(frame);
    if (this.socket.bufferedAmount + text.length > this.maxBufferedBytes) {
      void this.close(CloseCode.TOO_SLOW_READER, 'reading too slowly; reconnect and catch up');
      return false;
    }
    this.socket.send(text);
    return true;
  }

  /** Sends a change unless this client already has it; too large a change becomes `reload`. */
  sendChange(change: Change, encoded: string | undefined = encodeChange(change)): void {
    if (change.revision <= this.lastRevision) return;
    const sent =
      encoded === undefined
        ? this.send({ v: PROTOCOL_VERSION, type: 'reload', data: { revision: change.revision } })
        : this.send({ v: PROTOCOL_VERSION, type: 'change', data: change }, encoded);
    if (sent) this.lastRevision = change.revision;
  }

  /** Sends an `error` frame for something the client sent that could not be used. */
  sendError(error: unknown): void {
    this.send({ v: PROTOCOL_VERSION, type: 'error', data: toErrorBody(error).error });
  }

  /** Sends a `reject` for one op. */
  sendReject(opId: string, error: unknown): void {
    this.send({ v: PROTOCOL_VERSION, type: 'reject', id: opId, data: toErrorBody(error).error });
  }

  /** Closes with `code`, and destroys the socket if the peer does not finish the handshake. */
  close(code: number, reason: string): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      if (this.socket.readyState === this.socket.CLOSED) resolve();
      else this.socket.once('close', () => resolve());
    });
    if (!this.closing) {
      this.closing = true;
      this.socket.close(code, reason);
      const timer = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
      timer.unref();
      void closed.then(() => clearTimeout(timer));
    }
    return closed;
  }
}
