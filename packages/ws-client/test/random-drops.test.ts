import { describe, expect, it } from 'vitest';
import { onCleanup, testClient } from './client-harness.js';
import { createServerState, startTestServer } from './protocol-test-server.js';
import { seededRandom, startTcpProxy } from './tcp-proxy.js';

const OPS = 2000;

describe('through a network that drops connections at random', () => {
  it(`delivers ${OPS} ops, each applied exactly once and acknowledged in order`, async () => {
    const seed = Number(process.env.CIVTAG_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    const state = createServerState({ img1: [] });
    const server = await startTestServer({ state });
    onCleanup(() => server.kill());
    const proxy = await startTcpProxy(server.port, {
      cutAfterBytes: { min: 2_000, max: 60_000 },
      random,
    });
    onCleanup(() => proxy.close());
    const client = testClient({
      url: proxy.url,
      backoff: { initialMs: 5, maxMs: 20 },
      queue: { maxOps: OPS },
    });
    const seenChanges: number[] = [];
    client.on('change', (change) => {
      if (change.clientId === client.clientId) seenChanges.push(change.revision);
    });

    const acknowledged: number[] = [];
    const sent: Promise<void>[] = [];
    for (let index = 0; index < OPS; index++) {
      const op = { type: 'set' as const, imageId: 'img1', tags: [`tag-${index}`] };
      sent.push(client.send(op).then(({ revision }) => void acknowledged.push(revision)));
      // Send in bursts of random size, so ops are made while online and while reconnecting.
      if (random() < 0.05) await new Promise((resolve) => setTimeout(resolve, random() * 10));
    }
    await Promise.all(sent);

    const context = `seed ${seed}, ${proxy.drops} connections dropped`;
    expect(proxy.drops, context).toBeGreaterThanOrEqual(10);
    const applied = state.appliedOps.map((entry) => entry.op.type === 'set' && entry.op.tags[0]);
    expect(applied, context).toEqual(Array.from({ length: OPS }, (_, index) => `tag-${index}`));
    expect(acknowledged, context).toEqual(Array.from({ length: OPS }, (_, index) => index + 1));
    expect(server.receivedOps.length, context).toBeGreaterThanOrEqual(OPS);
    // Changes lost with a dropped connection are replayed after `hello {since}`; none twice, none out of order.
    await new Promise<void>((resolve) => {
      if (client.revision === OPS) resolve();
      else client.on('change', () => client.revision === OPS && resolve());
    });
    expect(seenChanges, context).toEqual(Array.from({ length: OPS }, (_, index) => index + 1));
  }, 60_000);
});
