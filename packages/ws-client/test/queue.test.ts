import { CivtagError } from '@civtag/ws-protocol';
import { describe, expect, it } from 'vitest';
import { onCleanup, testClient, until, untilStatus } from './client-harness.js';
import { createServerState, startTestServer } from './protocol-test-server.js';

const images = { img1: [] as string[], img2: [] as string[] };

/** A port where nothing listens yet: taken from a server that is then stopped. */
async function freePort(): Promise<number> {
  const server = await startTestServer();
  await server.kill();
  return server.port;
}

describe('the queue of unacknowledged ops', () => {
  it('rejects at once with QUEUE_FULL when full, and delivers what it had queued', async () => {
    const port = await freePort();
    const client = testClient({ url: `ws://127.0.0.1:${port}/ws`, queue: { maxOps: 3 } });
    const queued = [1, 2, 3].map((n) =>
      client.send({ type: 'set', imageId: 'img1', tags: [`t${n}`] }),
    );

    const refused = await client
      .send({ type: 'set', imageId: 'img1', tags: ['t4'] })
      .catch((error) => error);

    expect(CivtagError.hasCode(refused, 'QUEUE_FULL')).toBe(true);
    expect(refused.message).toContain('at most 3 ops');
    expect(refused.details).toMatchObject({ queued: 3, maxOps: 3 });
    expect(client.pending).toBe(3);
    const server = await startTestServer({ port, state: createServerState(images) });
    onCleanup(() => server.kill());
    expect(await Promise.all(queued)).toEqual([{ revision: 1 }, { revision: 2 }, { revision: 3 }]);
    expect(server.state.appliedOps.map((applied) => applied.op)).toEqual([
      { type: 'set', imageId: 'img1', tags: ['t1'] },
      { type: 'set', imageId: 'img1', tags: ['t2'] },
      { type: 'set', imageId: 'img1', tags: ['t3'] },
    ]);
  });

  it('bounds the queue by bytes as well as by count', async () => {
    const port = await freePort();
    const client = testClient({ url: `ws://127.0.0.1:${port}/ws`, queue: { maxBytes: 300 } });
    const first = client.send({ type: 'set', imageId: 'img1', tags: ['x'.repeat(150)] });
    first.catch(() => {});

    const second = client.send({ type: 'set', imageId: 'img1', tags: ['y'.repeat(150)] });

    await expect(second).rejects.toMatchObject({ code: 'QUEUE_FULL', details: { maxBytes: 300 } });
    expect(client.pending).toBe(1);
  });

  it('resends unacknowledged ops after a reconnect with the same ids, and the server applies each once', async () => {
    const state = createServerState(images);
    const withholding = await startTestServer({ state, withholdAcks: true });
    const client = testClient({ url: withholding.url });
    await untilStatus(client, 'open');
    const sent = ['a', 'b', 'c'].map((tag) =>
      client.send({ type: 'set', imageId: 'img1', tags: [tag] }),
    );
    await until(() => state.appliedOps.length === 3);
    await withholding.kill();

    const acking = await startTestServer({ state, port: withholding.port });
    onCleanup(() => acking.kill());

    expect(await Promise.all(sent)).toEqual([{ revision: 1 }, { revision: 2 }, { revision: 3 }]);
    expect(acking.receivedOps).toEqual(withholding.receivedOps);
    expect(new Set(acking.receivedOps.map((op) => op.opId)).size).toBe(3);
    expect(state.appliedOps.map((applied) => applied.opId)).toEqual(
      withholding.receivedOps.map((op) => op.opId),
    );
  });

  it('keeps the order of ops made before, during and after an outage', async () => {
    const state = createServerState(images);
    const first = await startTestServer({ state });
    const client = testClient({ url: first.url });
    await untilStatus(client, 'open');
    const tags = (n: number) => [`tag${n}`];
    const sent = [client.send({ type: 'set', imageId: 'img1', tags: tags(0) })];
    sent.push(client.send({ type: 'add', target: { ids: ['img2'] }, tags: tags(1) }));
    await first.kill();
    for (let n = 2; n < 6; n++)
      sent.push(client.send({ type: 'set', imageId: 'img1', tags: tags(n) }));
    const second = await startTestServer({ state, port: first.port });
    onCleanup(() => second.kill());
    for (let n = 6; n < 9; n++)
      sent.push(client.send({ type: 'set', imageId: 'img1', tags: tags(n) }));

    const revisions = (await Promise.all(sent)).map((result) => result.revision);

    expect(revisions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(
      state.appliedOps.map((applied) => applied.op.type === 'set' && applied.op.tags[0]),
    ).toEqual(['tag0', false, 'tag2', 'tag3', 'tag4', 'tag5', 'tag6', 'tag7', 'tag8']);
  });

  it('refuses an op that breaks the schema before sending it, naming the field', async () => {
    const client = testClient({ url: 'ws://127.0.0.1:9/ws' });

    const error = await client.send({ type: 'set', imageId: 'not an id', tags: [] }).then(
      () => undefined,
      (caught: CivtagError) => caught,
    );

    expect(error?.code).toBe('VALIDATION');
    expect(error?.message).toMatch(/^The op was not sent: data\.op\.imageId: /);
    expect(client.pending).toBe(0);
  });

  it('refuses an op over the frame limit with TOO_LARGE', async () => {
    const client = testClient({ url: 'ws://127.0.0.1:9/ws', maxFrameBytes: 200 });

    const sent = client.send({ type: 'set', imageId: 'img1', tags: ['x'.repeat(250)] });

    await expect(sent).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });
});

describe('the window of ops in flight', () => {
  it('sends at most maxInFlight ops before answers come, and the rest as they do', async () => {
    const state = createServerState(images);
    const withholding = await startTestServer({ state, withholdAcks: true });
    const client = testClient({ url: withholding.url, queue: { maxInFlight: 2 } });
    await untilStatus(client, 'open');
    const sent = [1, 2, 3, 4, 5].map((n) =>
      client.send({ type: 'set', imageId: 'img1', tags: [`t${n}`] }),
    );
    await until(() => withholding.receivedOps.length === 2);
    // A later op from another client proves the server has read everything sent before it.
    const other = testClient({ url: withholding.url });
    await untilStatus(other, 'open');
    other.send({ type: 'set', imageId: 'img2', tags: ['other'] }).catch(() => {});
    await until(() => withholding.receivedOps.length === 3);

    expect(withholding.receivedOps.map((op) => op.clientId)).toEqual([
      client.clientId,
      client.clientId,
      other.clientId,
    ]);
    await withholding.kill();
    const acking = await startTestServer({ state, port: withholding.port });
    onCleanup(() => acking.kill());
    expect(await Promise.all(sent)).toEqual([1, 2, 4, 5, 6].map((revision) => ({ revision })));
  });
});
