import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { onCleanup, recordEvents, testClient, until, untilStatus } from './client-harness.js';
import { createServerState, startTestServer } from './protocol-test-server.js';
import { startTcpProxy } from './tcp-proxy.js';

const image = { img1: [] as string[] };

describe('reconnecting', () => {
  it('reconnects after the server closes the connection, saying hello with the last revision', async () => {
    const server = await startTestServer({ state: createServerState(image) });
    onCleanup(() => server.kill());
    const client = testClient({ url: server.url });
    const recorded = recordEvents(client);
    await untilStatus(client, 'open');
    await client.send({ type: 'set', imageId: 'img1', tags: ['a'] });
    await until(() => client.revision === 1);

    server.closeSockets();
    await until(() => server.connections.length === 2 && client.status === 'open');

    expect(server.connections[1]?.hello).toEqual({ clientId: client.clientId, since: 1 });
    expect(await client.send({ type: 'set', imageId: 'img1', tags: ['b'] })).toEqual({
      revision: 2,
    });
    expect(recorded.statuses()).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('comes back when the server dies and restarts on the same port, resending what it queued meanwhile', async () => {
    const state = createServerState(image);
    const first = await startTestServer({ state });
    const client = testClient({ url: first.url });
    await untilStatus(client, 'open');
    const before = client.send({ type: 'set', imageId: 'img1', tags: ['before'] });
    expect(await before).toEqual({ revision: 1 });

    await first.kill();
    await untilStatus(client, 'reconnecting');
    const offline = ['x', 'y', 'z'].map((tag) =>
      client.send({ type: 'set', imageId: 'img1', tags: [tag] }),
    );
    expect(client.pending).toBe(3);

    const second = await startTestServer({ state, port: first.port });
    onCleanup(() => second.kill());
    expect(await Promise.all(offline)).toEqual([{ revision: 2 }, { revision: 3 }, { revision: 4 }]);
    expect(state.appliedOps.map((applied) => applied.op)).toEqual([
      { type: 'set', imageId: 'img1', tags: ['before'] },
      { type: 'set', imageId: 'img1', tags: ['x'] },
      { type: 'set', imageId: 'img1', tags: ['y'] },
      { type: 'set', imageId: 'img1', tags: ['z'] },
    ]);
    expect(client.pending).toBe(0);
  });

  it('notices a connection that silently stops answering, through its heartbeat', async () => {
    const server = await startTestServer({ state: createServerState(image) });
    onCleanup(() => server.kill());
    const proxy = await startTcpProxy(server.port);
    onCleanup(() => proxy.close());
    const client = testClient({ url: proxy.url, heartbeat: { intervalMs: 50, timeoutMs: 100 } });
    const recorded = recordEvents(client);
    await untilStatus(client, 'open');

    proxy.silenceOpenConnections();
    const sent = client.send({ type: 'set', imageId: 'img1', tags: ['through'] });

    expect(await sent).toEqual({ revision: 1 });
    expect(server.connections).toHaveLength(2);
    expect(recorded.of('error').map((error) => error.code)).toContain('TIMEOUT');
    expect(recorded.statuses()).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('gives up an attempt that never gets a welcome, and tries again', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    onCleanup(() => new Promise((resolve) => silent.close(resolve)));
    let accepted = 0;
    silent.on('connection', (socket) => {
      accepted++;
      onCleanup(() => socket.destroy());
    });
    const { port } = silent.address() as { port: number };
    const client = testClient({ url: `ws://127.0.0.1:${port}/ws`, connectTimeoutMs: 50 });
    const recorded = recordEvents(client);

    await until(() => accepted >= 3);

    const errors = recorded.of('error');
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]?.code).toBe('TIMEOUT');
    expect(errors[0]?.message).toContain('no welcome within 50 ms');
    expect(client.status).toBe('reconnecting');
  });
});

describe('the url option', () => {
  it('retries when the url function throws or never answers, then connects with the url it gives', async () => {
    const server = await startTestServer();
    onCleanup(() => server.kill());
    let calls = 0;
    const client = testClient({
      connectTimeoutMs: 100,
      url: () => {
        calls++;
        if (calls === 1) throw new Error('token service down');
        if (calls === 2) return new Promise<string>(() => {});
        return `${server.url}?token=t${calls}`;
      },
    });
    const recorded = recordEvents(client);

    await untilStatus(client, 'open');

    expect(recorded.of('error').map((error) => [error.code, error.message])).toEqual([
      ['INTERNAL', 'The url function failed: token service down; retrying.'],
      ['TIMEOUT', 'The url function gave no url within 100 ms; retrying.'],
    ]);
    expect(server.connections.map((connection) => connection.url)).toEqual(['/ws?token=t3']);
  });
});
