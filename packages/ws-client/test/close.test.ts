import { CivtagError } from '@civtag/ws-protocol';
import { describe, expect, it } from 'vitest';
import { onCleanup, recordEvents, testClient, until, untilStatus } from './client-harness.js';
import { createServerState, startTestServer } from './protocol-test-server.js';

describe('close()', () => {
  it('stops for good: rejects what is queued with CLIENT_CLOSED and never connects again', async () => {
    const server = await startTestServer({
      state: createServerState({ img1: [] }),
      withholdAcks: true,
    });
    onCleanup(() => server.kill());
    const client = testClient({ url: server.url });
    const recorded = recordEvents(client);
    await untilStatus(client, 'open');
    const inFlight = client
      .send({ type: 'set', imageId: 'img1', tags: ['a'] })
      .catch((error) => error);
    await until(() => server.receivedOps.length === 1);

    client.close();

    const error = await inFlight;
    expect(CivtagError.hasCode(error, 'CLIENT_CLOSED')).toBe(true);
    expect(error.message).toContain('may or may not have been applied');
    expect(client.status).toBe('closed');
    expect(client.pending).toBe(0);
    await expect(client.send({ type: 'set', imageId: 'img1', tags: ['b'] })).rejects.toMatchObject({
      code: 'CLIENT_CLOSED',
    });
    await until(() => server.connections.length === 1 && recorded.statuses().at(-1) === 'closed');
    // A round trip on a second client shows the server had time to see any late attempt.
    const other = testClient({ url: server.url });
    await untilStatus(other, 'open');
    expect(server.connections.map((connection) => connection.hello?.clientId)).toEqual([
      client.clientId,
      other.clientId,
    ]);
    expect(recorded.statuses()).toEqual(['connecting', 'open', 'closed']);
  });

  it('stops while waiting to reconnect, rejecting ops queued offline', async () => {
    const server = await startTestServer();
    await server.kill();
    const client = testClient({ url: server.url, backoff: { initialMs: 60_000 } });
    await untilStatus(client, 'reconnecting');
    const queued = client.send({ type: 'set', imageId: 'img1', tags: ['a'] });

    client.close();

    await expect(queued).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    expect(client.status).toBe('closed');
  });
});
