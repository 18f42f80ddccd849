import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  type Change,
  type ClientFrame,
  CloseCode,
  decodeClientFrame,
  ErrorCode,
  encodeFrame,
  PROTOCOL_VERSION,
  type ServerFrame,
  type TagOp,
} from '@civtag/ws-protocol';
import { type WebSocket, WebSocketServer } from 'ws';

/** What a civtag server keeps in its journal: it survives a restart of the test server. */
export interface ServerState {
  revision: number;
  /** The change feed, oldest first, at most `feedSize` long. */
  feed: Change[];
  /** `clientId opId` → the revision it was applied at: the idempotency map. */
  applied: Map<string, number>;
  /** Every op applied, in order. */
  appliedOps: { clientId: string; opId: string; op: TagOp; revision: number }[];
  images: Map<string, string[]>;
}

export function createServerState(images: Record<string, string[]> = {}): ServerState {
  return {
    revision: 0,
    feed: [],
    applied: new Map(),
    appliedOps: [],
    images: new Map(Object.entries(images)),
  };
}

export interface TestServerOptions {
  port?: number;
  state?: ServerState;
  datasetId?: string;
  feedSize?: number;
  /** Replays this many changes before `since` as well, like a careless server would. */
  replayOverlap?: number;
  /** Applies ops but sends no `ack` (to leave them unacknowledged on the client). */
  withholdAcks?: boolean;
}

/** A connection as the server saw it: when it arrived (`performance.now()`) and what it said. */
export interface SeenConnection {
  at: number;
  url: string;
  hello?: { clientId: string; since?: number };
}

/**
 * A small server that speaks the civtag protocol with the real codec over real `ws`: hello,
 * welcome and catch-up (or reload), ops applied once per (client id, op id), acks, changes to
 * every client, pings. It is what the client's tests run against.
 */
export async function startTestServer(options: TestServerOptions = {}) {
  const state = options.state ?? createServerState();
  const feedSize = options.feedSize ?? 1000;
  const datasetId = options.datasetId ?? 'dataset-1';
  const connections: SeenConnection[] = [];
  /** Every op frame received, resends included. */
  const receivedOps: { clientId: string; opId: string }[] = [];
  const sockets = new Set<WebSocket>();
  const ready = new Set<WebSocket>();
  let rejectCode: string | undefined;

  const http = createServer((request, response) => serveHttp(state, request, response));
  const wss = new WebSocketServer({ server: http, path: '/ws' });
  const send = (socket: WebSocket, frame: ServerFrame) => socket.send(encodeFrame(frame));

  wss.on('connection', (socket, request) => {
    const seen: SeenConnection = { at: performance.now(), url: request.url ?? '' };
    connections.push(seen);
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      ready.delete(socket);
    });
    socket.on('message', (data, isBinary) => {
      let frame: ClientFrame;
      try {
        frame = decodeClientFrame(isBinary ? (data as Buffer) : data.toString());
      } catch (error) {
        const { code, message } = error as { code: string; message: string };
        send(socket, { v: PROTOCOL_VERSION, type: 'error', data: { code, message } });
        return;
      }
      if (frame.type === 'hello') {
        seen.hello = frame.data;
        welcome(socket, frame.data.since);
      } else if (frame.type === 'ping') {
        send(socket, { v: PROTOCOL_VERSION, type: 'pong', data: {} });
      } else if (seen.hello === undefined) {
        socket.close(CloseCode.POLICY_VIOLATION, 'hello first');
      } else {
        receivedOps.push({ clientId: seen.hello.clientId, opId: frame.id });
        applyOp(socket, seen.hello.clientId, frame.id, frame.data.op);
      }
    });
  });

  function welcome(socket: WebSocket, since: number | undefined): void {
    send(socket, {
      v: PROTOCOL_VERSION,
      type: 'welcome',
      data: {
        protocol: PROTOCOL_VERSION,
        serverVersion: '0.0.0-test',
        datasetId,
        revision: state.revision,
      },
    });
    if (since !== undefined) {
      const oldest = state.revision - state.feed.length;
      if (since < oldest) {
        send(socket, { v: PROTOCOL_VERSION, type: 'reload', data: { revision: state.revision } });
      } else {
        const from = since - (options.replayOverlap ?? 0);
        for (const change of state.feed) {
          if (change.revision > from)
            send(socket, { v: PROTOCOL_VERSION, type: 'change', data: change });
        }
      }
    }
    ready.add(socket);
  }

  function applyOp(socket: WebSocket, clientId: string, opId: string, op: TagOp): void {
    if (rejectCode !== undefined) {
      const message = `Turned away with ${rejectCode}.`;
      send(socket, {
        v: PROTOCOL_VERSION,
        type: 'reject',
        id: opId,
        data: { code: rejectCode, message },
      });
      return;
    }
    const key = `${clientId} ${opId}`;
    const known = state.applied.get(key);
    if (known !== undefined) {
      send(socket, { v: PROTOCOL_VERSION, type: 'ack', id: opId, data: { revision: known } });
      return;
    }
    const imageIds =
      op.type === 'set'
        ? [op.imageId]
        : op.type === 'add' && 'ids' in op.target
          ? op.target.ids
          : [];
    const missing = imageIds.find((id) => !state.images.has(id));
    if (missing !== undefined) {
      const message = `No image with id "${missing}".`;
      send(socket, {
        v: PROTOCOL_VERSION,
        type: 'reject',
        id: opId,
        data: { code: ErrorCode.NOT_FOUND, message },
      });
      return;
    }
    const revision = ++state.revision;
    const changes = applyTags(state, op).map(([imageId, tags]) => ({
      imageId,
      tags,
      rev: revision,
    }));
    const change: Change = { revision, clientId, opId, origin: 'op', changes };
    state.feed.push(change);
    if (state.feed.length > feedSize) state.feed.shift();
    state.applied.set(key, revision);
    state.appliedOps.push({ clientId, opId, op, revision });
    if (!options.withholdAcks) {
      send(socket, { v: PROTOCOL_VERSION, type: 'ack', id: opId, data: { revision } });
    }
    for (const other of ready) send(other, { v: PROTOCOL_VERSION, type: 'change', data: change });
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;

  return {
    port,
    url: `ws://127.0.0.1:${port}/ws`,
    httpUrl: `http://127.0.0.1:${port}`,
    state,
    connections,
    receivedOps,
    /** Rejects every new op with `code` until called with `undefined`. */
    rejectOpsWith(code: string | undefined): void {
      rejectCode = code;
    },
    /** Sends `frame` to every client that said hello. */
    broadcast(frame: ServerFrame): void {
      for (const socket of ready) send(socket, frame);
    },
    /** Sends `shutdown`, closes every socket with 1001, and says when (`performance.now()`). */
    shutdown(retryAfterMs: number): number {
      const at = performance.now();
      for (const socket of sockets) {
        send(socket, {
          v: PROTOCOL_VERSION,
          type: 'shutdown',
          data: { reason: 'restart', retryAfterMs },
        });
        socket.close(CloseCode.GOING_AWAY, 'restart');
      }
      return at;
    },
    /** Closes every socket with `code`; the server keeps listening. */
    closeSockets(code: number = CloseCode.NORMAL, reason = ''): void {
      for (const socket of sockets) socket.close(code, reason);
    },
    /** Dies: every socket dropped without a close frame, and the port released. */
    async kill(): Promise<void> {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

function applyTags(state: ServerState, op: TagOp): [string, string[]][] {
  if (op.type === 'set') {
    state.images.set(op.imageId, [...op.tags]);
    return [[op.imageId, [...op.tags]]];
  }
  if (op.type !== 'add') return [];
  const ids = 'ids' in op.target ? op.target.ids : [...state.images.keys()];
  return ids.map((id) => {
    const tags = state.images.get(id) ?? [];
    const next = [...tags, ...op.tags.filter((tag) => !tags.includes(tag))];
    state.images.set(id, next);
    return [id, next];
  });
}

/** `GET /api/images`: enough of the HTTP API for the README's example. */
function serveHttp(state: ServerState, request: IncomingMessage, response: ServerResponse): void {
  if (request.url?.startsWith('/api/images') !== true) {
    response.writeHead(404).end();
    return;
  }
  const images = [...state.images].map(([id, tags]) => ({
    id,
    file: `${id}.png`,
    hash: '0'.repeat(64),
    width: 512,
    height: 512,
    format: 'png',
    tags,
    rev: state.revision,
    excluded: false,
  }));
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ revision: state.revision, images, nextCursor: null }));
}
