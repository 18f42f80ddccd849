import type { Server } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Change, TagOp } from '@civtag/api-models';
import type { ServerFrame } from '@civtag/ws-protocol';
import { CloseCode } from '@civtag/ws-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createAccessPolicy } from '../security/access-policy.js';
import type { HubDataset, SocketHub, SocketHubOptions } from './socket-hub.js';
import { createSocketHub } from './socket-hub.js';

/**
 * A stand-in for the dataset with only what the hub reads: a revision, a short change feed and
 * its change event. The real dataset is exercised by the integration tests under test/.
 */
class FeedDataset {
  readonly id = 'dataset-1';
  revision = 0;
  readonly feed: Change[] = [];
  readonly feedSize = 5;
  private readonly listeners = new Set<(change: Change) => void>();
  private readonly reloadListeners = new Set<(value: { revision: number }) => void>();

  on(event: string, listener: (value: never) => void): () => void {
    if (event === 'reload') {
      const told = listener as (value: { revision: number }) => void;
      this.reloadListeners.add(told);
      return () => this.reloadListeners.delete(told);
    }
    if (event !== 'change') return () => {};
    const told = listener as (change: Change) => void;
    this.listeners.add(told);
    return () => this.listeners.delete(told);
  }

  /** As a dataset on a shared store does when other servers changed more than its feed holds. */
  changedBeyondFeed(count: number): void {
    this.revision += count;
    this.feed.length = 0;
    for (const listener of this.reloadListeners) listener({ revision: this.revision });
  }

  changesSince(revision: number): { reload: true } | { reload: false; changes: Change[] } {
    const oldest = this.feed[0]?.revision ?? this.revision + 1;
    if (revision < oldest - 1) return { reload: true };
    return { reload: false, changes: this.feed.filter((change) => change.revision > revision) };
  }

  commit(clientId: string | undefined, op: TagOp): Change {
    this.revision += 1;
    const imageId = op.type === 'set' ? op.imageId : 'img';
    const change: Change = {
      revision: this.revision,
      changes: [{ imageId, tags: op.type === 'set' ? op.tags : [], rev: this.revision }],
    };
    if (clientId !== undefined) change.clientId = clientId;
    this.feed.push(change);
    if (this.feed.length > this.feedSize) this.feed.shift();
    for (const listener of this.listeners) listener(change);
    return change;
  }
}

interface Harness {
  dataset: FeedDataset;
  hub: SocketHub;
  url: string;
  origin: string;
}

const servers: Server[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

async function startHub(options: Partial<SocketHubOptions> = {}): Promise<Harness> {
  const dataset = new FeedDataset();
  const http = createHttpServer();
  servers.push(http);
  let port = 0;
  const hub = createSocketHub({
    dataset: dataset as unknown as HubDataset,
    ops: {
      apply: async (op, origin) => {
        const change = dataset.commit(origin?.clientId, op as TagOp);
        return { ...change, duplicate: false, count: change.changes.length };
      },
    },
    policy: createAccessPolicy({ bindHost: '127.0.0.1', port: () => port }),
    serverVersion: '0.0.0-test',
    ...options,
  });
  http.on('upgrade', hub.handleUpgrade);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  port = (http.address() as AddressInfo).port;
  return { dataset, hub, url: `ws://127.0.0.1:${port}/ws`, origin: `http://127.0.0.1:${port}` };
}

/** A plain `ws` client that records every frame and its close. */
async function connect(harness: Harness) {
  const socket = new WebSocket(harness.url, { origin: harness.origin });
  sockets.push(socket);
  const frames: ServerFrame[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as ServerFrame);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number }>((resolve) =>
    socket.on('close', (code) => resolve({ code })),
  );
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    closed,
    send: (frame: unknown) =>
      socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    async waitFor(predicate: (frames: ServerFrame[]) => boolean): Promise<ServerFrame[]> {
      while (!predicate(frames)) await new Promise<void>((resolve) => waiters.push(resolve));
      return frames;
    },
  };
}

const setOp = (imageId: string, tags: string[]): TagOp => ({ type: 'set', imageId, tags });

describe('the socket hub', () => {
  it('welcomes a client, acknowledges its op and sends the change to every client', async () => {
    const harness = await startHub();
    const alice = await connect(harness);
    const bob = await connect(harness);
    alice.send({ v: 1, type: 'hello', data: { clientId: 'alice' } });
    bob.send({ v: 1, type: 'hello', data: { clientId: 'bob' } });
    await alice.waitFor((frames) => frames.some((frame) => frame.type === 'welcome'));
    await bob.waitFor((frames) => frames.some((frame) => frame.type === 'welcome'));
    expect(alice.frames[0]).toMatchObject({
      type: 'welcome',
      data: { protocol: 1, datasetId: 'dataset-1', revision: 0 },
    });

    alice.send({ v: 1, type: 'op', id: 'op-1', data: { op: setOp('img', ['cat']) } });
    await alice.waitFor((frames) => frames.some((frame) => frame.type === 'ack'));
    await bob.waitFor((frames) => frames.some((frame) => frame.type === 'change'));
    expect(alice.frames.find((frame) => frame.type === 'ack')).toEqual({
      v: 1,
      type: 'ack',
      id: 'op-1',
      data: { revision: 1 },
    });
    expect(bob.frames.find((frame) => frame.type === 'change')).toMatchObject({
      data: { revision: 1, clientId: 'alice' },
    });
  });

  it('tells every client to reload when other servers changed more than the feed holds', async () => {
    const harness = await startHub();
    const alice = await connect(harness);
    alice.send({ v: 1, type: 'hello', data: { clientId: 'alice' } });
    await alice.waitFor((frames) => frames.some((frame) => frame.type === 'welcome'));
    harness.dataset.changedBeyondFeed(40);
    await alice.waitFor((frames) => frames.some((frame) => frame.type === 'reload'));
    expect(alice.frames.find((frame) => frame.type === 'reload')).toMatchObject({
      data: { revision: 40 },
    });
    // The next change after the reload reaches it as usual.
    harness.dataset.commit('other', setOp('img', ['after']));
    await alice.waitFor((frames) => frames.some((frame) => frame.type === 'change'));
    expect(alice.frames.find((frame) => frame.type === 'change')).toMatchObject({
      data: { revision: 41 },
    });
  });

  it('replays the changes a client missed, or tells it to reload when they are too old', async () => {
    const harness = await startHub();
    for (let index = 0; index < 8; index += 1)
      harness.dataset.commit('other', setOp('img', [`t${index}`]));
    const recent = await connect(harness);
    recent.send({ v: 1, type: 'hello', data: { clientId: 'recent', since: 5 } });
    const frames = await recent.waitFor(
      (all) => all.filter((frame) => frame.type === 'change').length === 3,
    );
    expect(
      frames
        .filter((frame) => frame.type === 'change')
        .map((frame) => (frame.data as Change).revision),
    ).toEqual([6, 7, 8]);

    const stale = await connect(harness);
    stale.send({ v: 1, type: 'hello', data: { clientId: 'stale', since: 1 } });
    await stale.waitFor((all) => all.some((frame) => frame.type === 'reload'));
    expect(stale.frames.find((frame) => frame.type === 'reload')).toMatchObject({
      data: { revision: 8 },
    });
  });

  it('tells clients to reload rather than send a change larger than the frame limit', async () => {
    const harness = await startHub();
    const client = await connect(harness);
    client.send({ v: 1, type: 'hello', data: { clientId: 'reader' } });
    await client.waitFor((frames) => frames.length > 0);
    const bulk = Array.from({ length: 5000 }, (_, index) =>
      `a tag long enough to add up ${index}`.padEnd(250, '.'),
    );
    harness.dataset.commit('bulk', setOp('img', bulk));
    const frames = await client.waitFor((all) => all.some((frame) => frame.type === 'reload'));
    expect(frames.at(-1)).toEqual({ v: 1, type: 'reload', data: { revision: 1 } });
    expect(frames.some((frame) => frame.type === 'change')).toBe(false);
  });

  it('answers an unreadable frame with an error and keeps the connection', async () => {
    const harness = await startHub();
    const client = await connect(harness);
    client.send('{not json');
    client.send({ v: 1, type: 'op', id: 'early', data: { op: setOp('img', ['x']) } });
    client.send({ v: 1, type: 'hello', data: { clientId: 'c' } });
    client.send({ v: 1, type: 'op', id: 'bad', data: { op: { type: 'set' } } });
    client.send({ v: 1, type: 'ping', data: {} });
    const frames = await client.waitFor((all) => all.some((frame) => frame.type === 'pong'));
    expect(frames.map((frame) => frame.type)).toEqual([
      'error',
      'reject',
      'welcome',
      'reject',
      'pong',
    ]);
    expect(frames[1]).toMatchObject({ id: 'early', data: { code: 'PROTOCOL' } });
    expect(frames[3]).toMatchObject({ id: 'bad', data: { code: 'PROTOCOL' } });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a client that sends no hello in time (4000) and one that sends too large a frame (1009)', async () => {
    const harness = await startHub({ helloTimeoutMs: 100, maxFrameBytes: 1024 });
    const silent = await connect(harness);
    expect((await silent.closed).code).toBe(CloseCode.HELLO_TIMEOUT);
    const large = await connect(harness);
    large.send({ v: 1, type: 'hello', data: { clientId: 'x'.repeat(2000) } });
    expect((await large.closed).code).toBe(CloseCode.MESSAGE_TOO_BIG);
  });

  it('closes an older connection of the same client id with 4004', async () => {
    const harness = await startHub();
    const first = await connect(harness);
    first.send({ v: 1, type: 'hello', data: { clientId: 'same' } });
    await first.waitFor((frames) => frames.length > 0);
    const second = await connect(harness);
    second.send({ v: 1, type: 'hello', data: { clientId: 'same' } });
    expect((await first.closed).code).toBe(CloseCode.REPLACED);
  });

  it('drops a peer that stops answering pings', async () => {
    const harness = await startHub({ heartbeatMs: 50 });
    const client = await connect(harness);
    client.send({ v: 1, type: 'hello', data: { clientId: 'dead' } });
    await client.waitFor((frames) => frames.length > 0);
    // A paused socket reads nothing, so it never answers a ping: what a vanished peer looks like.
    (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    while (harness.hub.clientCount > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(harness.hub.clientCount).toBe(0);
  });

  it('drops a client too slow to read before its buffer passes the bound', async () => {
    const harness = await startHub({ maxBufferedBytes: 64 * 1024 });
    const slow = await connect(harness);
    slow.send({ v: 1, type: 'hello', data: { clientId: 'slow' } });
    await slow.waitFor((frames) => frames.length > 0);
    (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    // 2,000 changes of ~8 KB: far more than the kernel's socket buffers hold for a reader that reads nothing.
    const tags = Array.from(
      { length: 200 },
      (_, index) => `a long tag to fill the buffer ${index}`,
    );
    for (let index = 0; index < 2000; index += 1) {
      harness.dataset.commit('writer', setOp('img', tags));
      if (index % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // Without the bound the slow client would stay connected (and buffered) for ever.
    while (harness.hub.clientCount > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(harness.hub.clientCount).toBe(0);
  });

  it('sends shutdown to every client, then closes them with 1001', async () => {
    const harness = await startHub();
    const clients = await Promise.all([connect(harness), connect(harness), connect(harness)]);
    for (const [index, client] of clients.entries()) {
      client.send({ v: 1, type: 'hello', data: { clientId: `c${index}` } });
    }
    await Promise.all(clients.map((client) => client.waitFor((frames) => frames.length > 0)));
    await harness.hub.shutdown('restarting', 1500);
    for (const client of clients) {
      expect((await client.closed).code).toBe(CloseCode.GOING_AWAY);
      expect(client.frames.at(-1)).toEqual({
        v: 1,
        type: 'shutdown',
        data: { reason: 'restarting', retryAfterMs: 1500 },
      });
    }
  });

  it('refuses an upgrade from a foreign origin before any socket opens', async () => {
    const harness = await startHub();
    const socket = new WebSocket(harness.url, { origin: 'https://evil.example' });
    sockets.push(socket);
    const status = await new Promise<number | undefined>((resolve) => {
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode));
      socket.on('open', () => resolve(undefined));
      socket.on('error', () => {});
    });
    expect(status).toBe(403);
  });
});
