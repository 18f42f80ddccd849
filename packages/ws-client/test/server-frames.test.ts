import { type CivtagError, CloseCode, PROTOCOL_VERSION } from '@civtag/ws-protocol';
import { describe, expect, it } from 'vitest';
import {
  nextEvent,
  onCleanup,
  recordEvents,
  testClient,
  until,
  untilStatus,
} from './client-harness.js';
import { createServerState, startTestServer } from './protocol-test-server.js';
import { startTcpProxy } from './tcp-proxy.js';

const images = () => createServerState({ img1: [], img2: [] });

describe('what the server says', () => {
  it('rejects an op with the server code and message, and goes on with the next ones', async () => {
    const server = await startTestServer({ state: images() });
    onCleanup(() => server.kill());
    const client = testClient({ url: server.url });

    const missing = client
      .send({ type: 'set', imageId: 'nope', tags: ['a'] })
      .catch((error: CivtagError) => error);
    const fine = client.send({ type: 'set', imageId: 'img1', tags: ['a'] });

    const error = await missing;
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'No image with id "nope".' });
    expect(await fine).toEqual({ revision: 1 });
    expect(client.pending).toBe(0);
  });

  it('applies the changes it missed while away, each once and in order', async () => {
    const server = await startTestServer({ state: images() });
    onCleanup(() => server.kill());
    const proxy = await startTcpProxy(server.port);
    onCleanup(() => proxy.close());
    const watcher = testClient({ url: proxy.url });
    const seen = recordEvents(watcher);
    await untilStatus(watcher, 'open');
    const editor = testClient({ url: server.url });
    await editor.send({ type: 'set', imageId: 'img1', tags: ['first'] });
    await until(() => watcher.revision === 1);

    proxy.refuse(true);
    proxy.cutAll();
    await untilStatus(watcher, 'reconnecting');
    for (const tag of ['b', 'c', 'd'])
      await editor.send({ type: 'set', imageId: 'img2', tags: [tag] });
    proxy.refuse(false);
    await until(() => watcher.revision === 4);

    expect(seen.of('change').map((change) => change.revision)).toEqual([1, 2, 3, 4]);
    expect(seen.of('change').at(-1)?.changes).toEqual([{ imageId: 'img2', tags: ['d'], rev: 4 }]);
    expect(server.connections.at(-1)?.hello?.since).toBe(1);
    expect(seen.of('reload')).toEqual([]);
  });

  it('ignores changes it has already seen or that are older', async () => {
    const server = await startTestServer({ state: images(), replayOverlap: 2 });
    onCleanup(() => server.kill());
    const client = testClient({ url: server.url });
    const seen = recordEvents(client);
    for (const tag of ['a', 'b', 'c'])
      await client.send({ type: 'set', imageId: 'img1', tags: [tag] });
    await until(() => client.revision === 3);

    server.closeSockets();
    await until(() => server.connections.length === 2 && client.status === 'open');
    await client.send({ type: 'set', imageId: 'img1', tags: ['d'] });
    await until(() => client.revision === 4);
    const change = { revision: 2, changes: [] };
    server.broadcast({ v: PROTOCOL_VERSION, type: 'change', data: change });
    await client.send({ type: 'set', imageId: 'img1', tags: ['e'] });
    await until(() => client.revision === 5);

    expect(seen.of('change').map((event) => event.revision)).toEqual([1, 2, 3, 4, 5]);
  });

  it('emits reload when it was away longer than the change feed', async () => {
    const state = images();
    const server = await startTestServer({ state, feedSize: 2 });
    onCleanup(() => server.kill());
    const editor = testClient({ url: server.url });
    for (const tag of ['a', 'b', 'c', 'd'])
      await editor.send({ type: 'set', imageId: 'img1', tags: [tag] });

    const late = testClient({ url: server.url, since: 1 });
    const reload = await nextEvent(late, 'reload');

    expect(reload).toEqual({ revision: 4 });
    expect(late.revision).toBe(4);
  });

  it('emits reload when the server is at another dataset or an older revision than it saw', async () => {
    const first = await startTestServer({ state: images(), datasetId: 'one' });
    const client = testClient({ url: first.url, since: 0 });
    await client.send({ type: 'set', imageId: 'img1', tags: ['a'] });
    await first.kill();

    const second = await startTestServer({ state: images(), datasetId: 'two', port: first.port });
    onCleanup(() => second.kill());

    expect(await nextEvent(client, 'reload')).toEqual({ revision: 0 });
    expect(client.revision).toBe(0);
  });

  it('waits at least retryAfterMs after a shutdown before it connects again', async () => {
    const server = await startTestServer({ state: images() });
    onCleanup(() => server.kill());
    const client = testClient({ url: server.url });
    await untilStatus(client, 'open');

    const shutdownAt = server.shutdown(300);
    const during = client.send({ type: 'set', imageId: 'img1', tags: ['during'] });
    await until(() => server.connections.length === 2);

    // The server's own clock: when it sent `shutdown`, and when the next connection arrived.
    expect(server.connections[1]!.at - shutdownAt).toBeGreaterThanOrEqual(300);
    expect(await during).toEqual({ revision: 1 });
  });

  it('keeps an op the server turned away as shutting down, and sends it again after the reconnect', async () => {
    const server = await startTestServer({ state: images() });
    onCleanup(() => server.kill());
    const client = testClient({ url: server.url });
    await untilStatus(client, 'open');
    server.rejectOpsWith('SHUTTING_DOWN');
    let settled = false;
    const sent = client.send({ type: 'set', imageId: 'img1', tags: ['kept'] });
    const settle = () => {
      settled = true;
    };
    sent.then(settle, settle);
    const second = client.send({ type: 'set', imageId: 'img2', tags: ['x'] });
    await until(() => server.receivedOps.length === 2);

    expect(settled).toBe(false);
    expect(client.pending).toBe(2);
    server.rejectOpsWith(undefined);
    server.closeSockets(CloseCode.GOING_AWAY);

    expect(await Promise.all([sent, second])).toEqual([{ revision: 1 }, { revision: 2 }]);
    expect(
      server.state.appliedOps.map((applied) => applied.op.type === 'set' && applied.op.imageId),
    ).toEqual(['img1', 'img2']);
  });

  it('passes on import progress and server errors', async () => {
    const server = await startTestServer({ state: images() });
    onCleanup(() => server.kill());
    const client = testClient({ url: server.url });
    await untilStatus(client, 'open');
    const progress = {
      jobId: 'job-1',
      state: 'running' as const,
      done: 3,
      total: 10,
      failed: 0,
      failures: [],
      duplicates: [],
    };

    const progressSeen = nextEvent(client, 'progress');
    const errorSeen = nextEvent(client, 'error');

    server.broadcast({ v: PROTOCOL_VERSION, type: 'progress', data: progress });
    server.broadcast({
      v: PROTOCOL_VERSION,
      type: 'error',
      data: { code: 'PROTOCOL', message: 'bad frame' },
    });

    expect(await progressSeen).toEqual(progress);
    expect(await errorSeen).toMatchObject({ code: 'PROTOCOL', message: 'bad frame' });
  });

  it('passes on auto-tag progress, and proposals arriving in a change', async () => {
    const server = await startTestServer({ state: images() });
    onCleanup(() => server.kill());
    const client = testClient({ url: server.url });
    await untilStatus(client, 'open');
    const tagging = {
      jobId: 'job-1',
      state: 'running' as const,
      total: 10,
      done: 3,
      scored: 3,
      skipped: 2,
      failed: [{ imageId: 'img2', file: 'a_0002.png', code: 'IMAGE_UNREADABLE', message: 'bad' }],
      tagged: 0,
    };
    const change = {
      revision: 5,
      origin: 'tagger' as const,
      changes: [
        {
          imageId: 'img1',
          tags: ['a'],
          rev: 5,
          excluded: false,
          proposals: [{ tag: 'long_hair', score: 0.9, category: 'general' as const }],
          rating: { label: 'general', score: 0.8 },
        },
      ],
    };

    const taggingSeen = nextEvent(client, 'tagging');
    const changeSeen = nextEvent(client, 'change');
    server.broadcast({ v: PROTOCOL_VERSION, type: 'tagging', data: tagging });
    server.broadcast({ v: PROTOCOL_VERSION, type: 'change', data: change });

    expect(await taggingSeen).toEqual(tagging);
    expect(await changeSeen).toEqual(change);
  });

  it('stops for good when replaced by another connection, rejecting what it still had', async () => {
    const server = await startTestServer({ state: images(), withholdAcks: true });
    onCleanup(() => server.kill());
    const client = testClient({ url: server.url });
    await untilStatus(client, 'open');
    const unacknowledged = client
      .send({ type: 'set', imageId: 'img1', tags: ['a'] })
      .catch((error) => error);
    await until(() => server.receivedOps.length === 1);

    server.closeSockets(CloseCode.REPLACED, 'replaced');

    const error = await unacknowledged;
    expect(error).toMatchObject({
      code: 'CONFLICT',
      details: { closeCode: 4004, reason: 'replaced' },
    });
    expect(client.status).toBe('closed');
    expect(server.connections).toHaveLength(1);
  });

  it('retries an unauthorised connection only when the url makes a fresh token', async () => {
    const server = await startTestServer({ state: images() });
    onCleanup(() => server.kill());
    const fixed = testClient({ url: `${server.url}?token=old` });
    await untilStatus(fixed, 'open');
    let attempt = 0;
    const fresh = testClient({ url: async () => `${server.url}?token=t${++attempt}` });
    await untilStatus(fresh, 'open');

    server.closeSockets(CloseCode.UNAUTHORIZED, 'bad token');
    await untilStatus(fixed, 'closed');
    await until(() => fresh.status === 'open' && attempt === 2);

    expect(server.connections.map((connection) => connection.url).sort()).toEqual([
      '/ws?token=old',
      '/ws?token=t1',
      '/ws?token=t2',
    ]);
  });
});
