import type { HealthResponse, ImageRecord } from '@civtag/api-models';
import { afterEach, describe, expect, it } from 'vitest';
import {
  captionsWritten,
  captionTagsOnDisk,
  fetchAllImages,
  follow as followOn,
  makeDataset,
  runCivtag,
  type ServeProcess,
  scratchFolder,
  spawnServe,
  stopOnCleanUp,
  waitUntil,
} from './harness.js';
import { health as healthAt, usePostgres } from './several-servers.js';

const postgres = usePostgres();
function databaseUrl(): string {
  return postgres().url;
}

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

function health(serve: ServeProcess): Promise<HealthResponse> {
  return healthAt(`http://127.0.0.1:${serve.port}`);
}

async function addTag(serve: ServeProcess, image: ImageRecord, tag: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${serve.port}/api/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ op: { type: 'add', target: { ids: [image.id] }, tags: [tag] } }),
  });
  const body = (await response.json()) as { revision: number };
  expect(response.status).toBe(200);
  return body.revision;
}

function follow(url: string, clientId: string, start: { revision: number; images: ImageRecord[] }) {
  return followOn(url, clientId, start, cleanUps);
}

describe('civtag serve --database, three processes on one dataset', () => {
  it('go on when the caption writer is killed: another takes the captions and a moved client loses nothing', async () => {
    const root = await scratchFolder(cleanUps);
    const made = await makeDataset(root, 4);
    const dir = made.dir;
    await made.close();

    // Started at once: one moves the dataset into the database, the others wait and join.
    const serves = await Promise.all(
      [0, 1, 2].map(() => spawnServe([dir, '--port', '0', '--database', databaseUrl()])),
    );
    for (const serve of serves) stopOnCleanUp(serve, cleanUps);
    await waitUntil(
      async () =>
        (await Promise.all(serves.map(health))).filter((state) => state.captionWriter).length === 1,
    );
    const states = await Promise.all(serves.map(health));
    expect(states.map((state) => state.store)).toEqual(['postgres', 'postgres', 'postgres']);
    const writer = serves[states.findIndex((state) => state.captionWriter)]!;
    const others = serves.filter((serve) => serve !== writer) as [ServeProcess, ServeProcess];

    const start = await fetchAllImages(`http://127.0.0.1:${others[0].port}`);
    const images = start.images;
    // A client on the writer, one on each other server.
    const onWriter = follow(`ws://127.0.0.1:${writer.port}/ws`, 'moving', start);
    const onOthers = others.map((serve, index) =>
      follow(`ws://127.0.0.1:${serve.port}/ws`, `staying-${index}`, start),
    );
    for (const [index, image] of images.entries()) await addTag(others[index % 2]!, image, 'one');
    const { revision: before } = await onWriter.client.send({
      type: 'add',
      target: { all: true },
      tags: ['two'],
    });
    await waitUntil(() => [onWriter, ...onOthers].every(({ view }) => view.revision === before));

    writer.child.kill('SIGKILL');
    await writer.exited;
    onWriter.client.close();
    // The client that lost its server resumes on another from the last revision it saw.
    const moved = follow(`ws://127.0.0.1:${others[1].port}/ws`, 'moving', {
      revision: onWriter.view.revision,
      images: images.map((image) => ({ ...image, tags: onWriter.view.tags.get(image.id)! })),
    });
    for (const image of images) await addTag(others[0], image, 'three');
    await moved.client.send({ type: 'remove', target: { all: true }, tags: ['one'] });

    await waitUntil(
      async () =>
        (await Promise.all(others.map(health))).filter((state) => state.captionWriter).length === 1,
    );
    const newWriter = (await health(others[0])).captionWriter ? others[0] : others[1];
    const final = await fetchAllImages(`http://127.0.0.1:${newWriter.port}`);
    const expected = new Map(final.images.map((image) => [image.id, image.tags]));
    expect([...expected.values()]).toEqual(images.map(() => ['two', 'three']));
    const same = (tags: Map<string, string[]>) =>
      JSON.stringify([...tags]) === JSON.stringify([...expected]);
    await waitUntil(() => [moved, ...onOthers].every(({ view }) => same(view.tags)));
    await captionsWritten(`http://127.0.0.1:${newWriter.port}`);
    await waitUntil(async () => same(await captionTagsOnDisk(dir, final.images)));

    // The folder alone says where the dataset lives; with the database, stats read it.
    const alone = await runCivtag(['stats', dir], {
      cwd: root,
      env: { ...process.env, CIVTAG_DATABASE_URL: '' },
    });
    expect(alone.code).not.toBe(0);
    expect(alone.stderr).toMatch(/lives in a postgres database.*--database/);
    const stats = await runCivtag(['stats', dir, '--database', databaseUrl(), '--json'], {
      cwd: root,
    });
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ imageCount: images.length });
  }, 90_000);
});
