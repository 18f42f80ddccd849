import type { ServerFrame, TagOp } from '@civtag/ws-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  ClientView,
  captionsWritten,
  captionTagsOnDisk,
  fetchAllImages,
  follow,
  makeDataset,
  random,
  scratchFolder,
  startServer,
  waitUntil,
} from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

const VOCABULARY = ['cat', 'dog', 'red', 'blue', 'outdoors', 'smile', 'hat', 'photo (medium)'];

function randomOp(next: () => number, ids: string[]): TagOp {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const roll = next();
  if (roll < 0.25)
    return {
      type: 'set',
      imageId: pick(ids),
      tags: [pick(VOCABULARY), pick(VOCABULARY)].filter(
        (tag, index, all) => all.indexOf(tag) === index,
      ),
    };
  if (roll < 0.5)
    return {
      type: 'add',
      target: { ids: [pick(ids), pick(ids)].filter((id, index, all) => all.indexOf(id) === index) },
      tags: [pick(VOCABULARY)],
    };
  if (roll < 0.7) return { type: 'remove', target: { all: true }, tags: [pick(VOCABULARY)] };
  if (roll < 0.85)
    return {
      type: 'replace',
      target: { query: pick(['cat', 'dog', 'red', 'blue']) },
      from: pick(VOCABULARY),
      to: pick(VOCABULARY),
    };
  return { type: 'add', target: { ids: [pick(ids)] }, tags: [pick(VOCABULARY)], position: 'start' };
}

describe('several clients editing one dataset at once', () => {
  it('all end with the same tags, equal to the caption files on disk', async () => {
    const root = await scratchFolder(cleanUps);
    const dataset = await makeDataset(root, 6);
    const { base, socketUrl, origin } = await startServer(dataset, cleanUps);
    const start = await fetchAllImages(base);
    const ids = start.images.map((image) => image.id);
    const opsPerClient = 25;

    // Three reconnecting clients (the library a web page uses)…
    const clients = ['alpha', 'beta', 'gamma'].map((clientId) =>
      follow(socketUrl, clientId, start, cleanUps),
    );
    // …one plain `ws` client speaking the frames by hand…
    const plain = new WebSocket(socketUrl, { origin });
    const plainView = new ClientView(start);
    const plainAcks = new Map<string, number>();
    plain.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if (frame.type === 'change') plainView.apply(frame.data);
      if (frame.type === 'ack' || frame.type === 'reject')
        plainAcks.set(frame.id, frame.type === 'ack' ? frame.data.revision : -1);
    });
    cleanUps.push(async () => plain.terminate());
    await new Promise((resolve) => plain.once('open', resolve));
    plain.send(
      JSON.stringify({ v: 1, type: 'hello', data: { clientId: 'plain', since: start.revision } }),
    );

    // …and a script over HTTP, all at once.
    const next = random(7);
    const work: Promise<unknown>[] = [];
    for (let round = 0; round < opsPerClient; round += 1) {
      for (const { client } of clients)
        work.push(client.send(randomOp(next, ids)).catch((error: unknown) => error));
      plain.send(
        JSON.stringify({
          v: 1,
          type: 'op',
          id: `plain-${round}`,
          data: { op: randomOp(next, ids) },
        }),
      );
      work.push(
        fetch(`${base}/api/ops`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            op: randomOp(next, ids),
            clientId: 'script',
            opId: `script-${round}`,
          }),
        }).then((response) => response.json()),
      );
    }
    const results = await Promise.all(work);
    await waitUntil(() => plainAcks.size === opsPerClient);
    expect(results.filter((result) => result instanceof Error)).toEqual([]);
    expect([...plainAcks.values()].filter((revision) => revision < 0)).toEqual([]);

    const final = await fetchAllImages(base);
    const views = [...clients.map(({ view }) => view), plainView];
    await waitUntil(() => views.every((view) => view.revision === final.revision));

    const expected = new Map(final.images.map((image) => [image.id, image.tags]));
    for (const view of views) expect(view.tags).toEqual(expected);
    await captionsWritten(base);
    expect(await captionTagsOnDisk(dataset.dir, final.images)).toEqual(expected);
    // The edits did happen: the dataset is not still as it started.
    expect(expected).not.toEqual(new Map(start.images.map((image) => [image.id, image.tags])));
  });
});
