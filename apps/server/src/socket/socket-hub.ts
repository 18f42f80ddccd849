import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import {
  CloseCode,
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  PROTOCOL_VERSION,
} from '@civtag/ws-protocol';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { AutoTagRunner } from '../auto-tag-runner.js';
import type { OpRunner } from '../op-runner.js';
import type { AccessPolicy } from '../security/access-policy.js';
import { ClientConnection } from './client-connection.js';
import { createFrameHandler } from './frame-handler.js';
import { broadcastDatasetEvents } from './hub-broadcast.js';
import type { HubDataset } from './hub-dataset.js';
import { refuseUpgrade } from './refuse-upgrade.js';

export type { HubDataset } from './hub-dataset.js';

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
  /** The auto-tag jobs whose progress goes to every client as `tagging` frames. */
  autoTag?: Pick<AutoTagRunner, 'on'>;
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
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: maxFrameBytes,
    perMessageDeflate: false,
  });
  const connections = new Set<ClientConnection>();
  let accepting = true;
  const stopBroadcast = broadcastDatasetEvents(dataset, connections, options.autoTag);
  const frames = createFrameHandler({
    dataset,
    ops,
    connections,
    serverVersion: options.serverVersion,
    maxFrameBytes,
    maxBufferedBytes,
    onFault: options.onFault ?? (() => {}),
  });

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

  function accept(socket: WebSocket): void {
    const connection = new ClientConnection(socket, maxBufferedBytes);
    connections.add(connection);
    const helloTimer = setTimeout(() => {
      if (!connection.greeted) void connection.close(CloseCode.HELLO_TIMEOUT, 'no hello in time');
    }, helloTimeoutMs);
    helloTimer.unref();
    socket.on('message', (raw) => frames.receive(connection, raw));
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
    settled: frames.settled,
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
