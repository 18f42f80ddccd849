import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import type { Dataset } from '@civtag/core';
import type { ClientFrame, HelloFrame } from '@civtag/ws-protocol';
import {
  CloseCode,
  DEFAULT_MAX_FRAME_BYTES,
  decodeClientFrame,
  encodeFrame,
  PROTOCOL_VERSION,
  ProtocolError,
} from '@civtag/ws-protocol';
import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { OpRunner } from '../op-runner.js';
import type { AccessPolicy } from '../security/access-policy.js';
import { ClientConnection, encodeChange } from './client-connection.js';
import { broadcastDatasetEvents } from './hub-broadcast.js';
import { refuseUpgrade } from './refuse-upgrade.js';

/** The part of a dataset the hub reads: identity, revision, the change feed and its events. */
export type HubDataset = Pick<Dataset, 'id' | 'revision' | 'changesSince' | 'on'>;

/** Tunables of the socket hub; the defaults suit a browser on a LAN. */
export interface SocketHubOptions {
  dataset: HubDataset;
  ops: Pick<OpRunner, 'apply'>;
  policy: AccessPolicy;
  serverVersion: string;
  /** The path of the socket. Default `/ws`. */
  path?: string;
  /** Largest frame accepted; a larger one closes the socket with 1009. Default 1 MiB. */
  maxFrameBytes?: number;
  /** A client with more than this buffered for it is dropped with 4003. Default 4 MiB. */
  maxBufferedBytes?: number;
  /** A client that sends no `hello` within this is closed with 4000. Default 5 s. */
  helloTimeoutMs?: number;
  /** Ping interval; a client that missed the last pong is dropped. Default 30 s. */
  heartbeatMs?: number;
  /** Called for unexpected failures (never for a client's mistakes). */
  onFault?: (error: unknown) => void;
}

/** What the server asks of the hub. */
export interface SocketHub {
  /** Takes an HTTP upgrade: checks Host, Origin and token, then opens the socket. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** The number of open sockets. */
  readonly clientCount: number;
  /** Resolves once every op received on a socket has been answered. */
  settled(): Promise<void>;
  /** Refuses new sockets, sends `shutdown` to every client, closes them with 1001. */
  shutdown(reason: string, retryAfterMs: number): Promise<void>;
}

/** Builds the socket hub of DESIGN §4 on a `ws` server in no-server mode. */
export function createSocketHub(options: SocketHubOptions): SocketHub {
  const { dataset, ops, policy } = options;
  const socketPath = options.path ?? '/ws';
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const helloTimeoutMs = options.helloTimeoutMs ?? 5000;
  const onFault = options.onFault ?? (() => {});
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: maxFrameBytes,
    perMessageDeflate: false,
  });
  const connections = new Set<ClientConnection>();
  const pendingOps = new Set<Promise<void>>();
  let accepting = true;
  const stopBroadcast = broadcastDatasetEvents(dataset, connections);

  const heartbeat = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

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
    if (missed.reload) {
      connection.send({ v: PROTOCOL_VERSION, type: 'reload', data: { revision } });
      connection.lastRevision = revision;
      return;
    }
    // A replay larger than half the slow-reader bound would get the client dropped: reload instead.
    const encoded = missed.changes.map((change) => encodeChange(change));
    const bytes = encoded.reduce(
      (total, text) => total + (text?.length ?? Number.POSITIVE_INFINITY),
      0,
    );
    if (bytes > maxBufferedBytes / 2) {
      connection.send({ v: PROTOCOL_VERSION, type: 'reload', data: { revision } });
      connection.lastRevision = revision;
      return;
    }
    connection.lastRevision = hello.since;
    for (const [index, change] of missed.changes.entries())
      connection.sendChange(change, encoded[index]);
  }

  function runOp(connection: ClientConnection, opId: string, op: unknown): void {
    const work = connection.queue.then(async () => {
      try {
        const applied = await ops.apply(op, { clientId: connection.clientId, opId });
        connection.send({
          v: PROTOCOL_VERSION,
          type: 'ack',
          id: opId,
          data: { revision: applied.revision },
        });
      } catch (error) {
        if (!CivtagError.isInstance(error)) onFault(error);
        connection.sendReject(opId, error);
      }
    });
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

  function receive(connection: ClientConnection, raw: RawData): void {
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
      else greet(connection, frame.data);
    } else if (!connection.greeted) {
      connection.sendReject(
        frame.id,
        new CivtagError(ErrorCode.PROTOCOL, 'Send "hello" first: it must be the first frame.'),
      );
    } else {
      runOp(connection, frame.id, frame.data.op);
    }
  }

  function accept(socket: WebSocket): void {
    const connection = new ClientConnection(socket, maxBufferedBytes);
    connections.add(connection);
    const helloTimer = setTimeout(() => {
      if (!connection.greeted) void connection.close(CloseCode.HELLO_TIMEOUT, 'no hello in time');
    }, helloTimeoutMs);
    helloTimer.unref();
    socket.on('message', (raw) => receive(connection, raw));
    socket.on('pong', () => {
      connection.alive = true;
    });
    // `ws` closes the socket itself after an error (1009 for an oversized frame); nothing to add.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(helloTimer);
      connections.delete(connection);
    });
  }

  return {
    get clientCount() {
      return connections.size;
    },
    handleUpgrade(request, socket, head) {
      const url = request.url ?? '/';
      const pathname = url.split('?')[0];
      if (pathname !== socketPath) {
        return refuseUpgrade(
          socket,
          new CivtagError(ErrorCode.NOT_FOUND, `No socket here; use ${socketPath}.`),
        );
      }
      if (!accepting) {
        return refuseUpgrade(
          socket,
          new CivtagError(
            ErrorCode.SHUTTING_DOWN,
            'civtag is shutting down; reconnect once it is back.',
          ),
        );
      }
      try {
        policy.authorize({
          method: request.method ?? 'GET',
          url,
          headers: request.headers,
          upgrade: true,
        });
      } catch (error) {
        return refuseUpgrade(socket, error);
      }
      server.handleUpgrade(request, socket, head, accept);
    },
    async settled() {
      while (pendingOps.size > 0) await Promise.all(pendingOps);
    },
    async shutdown(reason, retryAfterMs) {
      accepting = false;
      clearInterval(heartbeat);
      stopBroadcast();
      const frame = {
        v: PROTOCOL_VERSION,
        type: 'shutdown',
        data: { reason, retryAfterMs },
      } as const;
      const encoded = encodeFrame(frame);
      await Promise.all(
        [...connections].map((connection) => {
          connection.send(frame, encoded);
          return connection.close(CloseCode.GOING_AWAY, reason.slice(0, 120));
        }),
      );
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
