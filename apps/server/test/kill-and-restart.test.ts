import type { CivtagClient } from '@civtag/ws-client';
import { createClient } from '@civtag/ws-client';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  captionTagsOnDisk,
  fetchAllImages,
  makeDataset,
  requireBuiltCli,
  scratchFolder,
  spawnServe,
  stopOnCleanUp,
  waitUntil,
} from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

describe('a server killed with SIGKILL and restarted', () => {
  it('loses no acknowledged op, and its clients resume by themselves', async () => {
    requireBuiltCli();
    const root = await scratchFolder(cleanUps);
    const dataset = await makeDataset(root, 4);
    const ids = dataset.images().map((image) => image.id);
    await dataset.close();

    const first = await spawnServe([dataset.dir, '--port', '0']);
    stopOnCleanUp(first, cleanUps);
    const port = first.port;
    const socketUrl = `ws://127.0.0.1:${port}/ws`;

    const acknowledged: { imageId: string; tag: string }[] = [];
    const clients: CivtagClient[] = [];
    let sending = true;
    const loops = ['one', 'two', 'three'].map(async (clientId, clientIndex) => {
      const client = createClient({
        url: socketUrl,
        WebSocket: WebSocket as never,
        clientId,
        backoff: { initialMs: 50, maxMs: 250 },
      });
      clients.push(client);
      cleanUps.push(async () => client.close());
      for (let index = 0; sending; index += 1) {
        const imageId = ids[(index + clientIndex) % ids.length]!;
        const tag = `${clientId} ${index}`;
        await client.send({ type: 'add', target: { ids: [imageId] }, tags: [tag] });
        acknowledged.push({ imageId, tag });
      }
    });

    await waitUntil(() => acknowledged.length >= 30);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const ackedBeforeKill = acknowledged.length;
    // While the server is down the clients keep queueing: their ops wait and are resent.
    await waitUntil(() => clients.every((client) => client.status === 'reconnecting'));

    const second = await spawnServe([dataset.dir, '--port', String(port)]);
    stopOnCleanUp(second, cleanUps);
    await waitUntil(() => acknowledged.length >= ackedBeforeKill + 30);
    sending = false;
    await Promise.all(loops);
    expect(clients.every((client) => client.status === 'open')).toBe(true);

    const { images } = await fetchAllImages(`http://127.0.0.1:${port}`);
    const tagsById = new Map(images.map((image) => [image.id, image.tags]));
    const lost = acknowledged.filter(({ imageId, tag }) => !tagsById.get(imageId)?.includes(tag));
    expect(lost).toEqual([]);
    for (const tags of tagsById.values()) expect(new Set(tags).size).toBe(tags.length);
    expect(await captionTagsOnDisk(dataset.dir, images)).toEqual(tagsById);

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });
});
