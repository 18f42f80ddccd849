import type { ErrorBody, ImageRecord } from '@civtag/api-models';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fetchAllImages,
  follow,
  launchServe,
  makeDataset,
  type ServeProcess,
  scratchFolder,
  spawnServe,
  stopOnCleanUp,
  waitUntil,
} from './harness.js';
import { health, usePostgres } from './several-servers.js';

const postgres = usePostgres();

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

/** A dataset of four images moved into the database by a first `civtag serve`, stopped since. */
async function datasetInDatabase(): Promise<string> {
  const root = await scratchFolder(cleanUps);
  const made = await makeDataset(root, 4);
  const dir = made.dir;
  await made.close();
  const first = await spawnServe([dir, '--port', '0', '--database', postgres().url]);
  stopOnCleanUp(first, cleanUps);
  first.child.kill('SIGTERM');
  expect(await first.exited).toMatchObject({ code: 0 });
  return dir;
}

function postOp(serve: ServeProcess, image: ImageRecord, tag: string, opId: string) {
  return fetch(`http://127.0.0.1:${serve.port}/api/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      op: { type: 'add', target: { ids: [image.id] }, tags: [tag] },
      clientId: 'script',
      opId,
    }),
  });
}

describe('civtag serve --database with the database down', () => {
  it('say once that the database cannot be reached, keep trying, and serve once it is up', async () => {
    const dir = await datasetInDatabase();
    const database = postgres();
    await database.stopServer();
    cleanUps.push(() => database.start());

    const launched = launchServe([dir, '--port', '0', '--database', database.url]);
    stopOnCleanUp({ ...launched, port: 0, url: '' }, cleanUps);
    const unreachable = new RegExp(
      `database at 127\\.0\\.0\\.1:${database.port} cannot be reached.*trying again`,
    );
    await waitUntil(() => unreachable.test(launched.output()));
    // It keeps trying (several times, at growing intervals) without saying so again.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(launched.child.exitCode).toBeNull();

    await database.start();
    const serve = await launched.ready;
    expect(await health(`http://127.0.0.1:${serve.port}`)).toMatchObject({
      ok: true,
      store: 'postgres',
    });
    const image = (await fetchAllImages(`http://127.0.0.1:${serve.port}`)).images[0]!;
    expect((await postOp(serve, image, 'up', 'op-up')).status).toBe(200);
    const lines = serve.output().split('\n');
    expect(lines.filter((line) => /cannot be reached/.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /answers again/.test(line))).toHaveLength(1);
  }, 60_000);

  it('refuse ops with a retryable 503 while the database is down, and apply each once when it is back', async () => {
    const dir = await datasetInDatabase();
    const database = postgres();
    const serves = await Promise.all(
      [0, 1].map(() => spawnServe([dir, '--port', '0', '--database', database.url])),
    );
    for (const serve of serves) stopOnCleanUp(serve, cleanUps);
    const [one, two] = serves as [ServeProcess, ServeProcess];
    const start = await fetchAllImages(`http://127.0.0.1:${one.port}`);
    const image = start.images[0]!;
    const watcher = follow(`ws://127.0.0.1:${two.port}/ws`, 'watcher', start, cleanUps);
    await waitUntil(() => watcher.client.status === 'open');

    await database.stopServer();
    cleanUps.push(() => database.start());
    const refused = await postOp(one, image, 'down', 'op-down');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    const body = (await refused.json()) as ErrorBody;
    expect(body.error.code).toBe('IO_ERROR');
    expect(body.error.message).toMatch(
      new RegExp(`127\\.0\\.0\\.1:${database.port} cannot be reached.*tries again`),
    );
    // On the socket, the same refusal: the op is not applied, and can be sent again.
    await expect(
      watcher.client.send(
        { type: 'add', target: { ids: [image.id] }, tags: ['socket'] },
        { opId: 'socket-1' },
      ),
    ).rejects.toMatchObject({ code: 'IO_ERROR' });

    await database.start();
    // Sent again with the same keys until the servers reach the database again: applied once.
    let revision = 0;
    await waitUntil(async () => {
      const response = await postOp(one, image, 'down', 'op-down');
      if (response.status !== 200) return false;
      revision = ((await response.json()) as { revision: number }).revision;
      return true;
    }, 200);
    const again = await postOp(two, image, 'down', 'op-down');
    expect(await again.json()).toMatchObject({ revision, duplicate: true });
    const socketSent = await watcher.client.send(
      { type: 'add', target: { ids: [image.id] }, tags: ['socket'] },
      { opId: 'socket-1' },
    );
    expect(socketSent.revision).toBe(revision + 1);
    await waitUntil(() => watcher.view.revision === revision + 1);
    expect(watcher.view.tags.get(image.id)).toEqual([...image.tags, 'down', 'socket'].sort());
    // The other server hears of the op through the database.
    await waitUntil(async () =>
      (
        await Promise.all(serves.map((serve) => fetchAllImages(`http://127.0.0.1:${serve.port}`)))
      ).every((final) => final.revision === revision + 1),
    );
  }, 90_000);
});
