import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  AutoTagProgress,
  AutoTagStatus,
  HealthResponse,
  ImagesPage,
} from '@civtag/api-models';
import { loadTagger, type Tagger } from '@civtag/autotag';
import { makeColourImage, TEST_COLOURS, writeTestTagger } from '@civtag/autotag/testing';
import type { Dataset, ImageTagger } from '@civtag/core';
import { createDataset, openDataset } from '@civtag/core';
import { type Change, createClient } from '@civtag/ws-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { fetchAllImages, scratchFolder, startServer, waitUntil } from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

let tagger: Tagger;
const taggerCleanUps: (() => Promise<void>)[] = [];
beforeAll(async () => {
  const folder = await scratchFolder(taggerCleanUps);
  tagger = await loadTagger((await writeTestTagger(path.join(folder, 'tagger'))).folder, {
    threads: 1,
  });
});
afterAll(async () => {
  await tagger.close();
  for (const cleanUp of taggerCleanUps.splice(0)) await cleanUp();
});

const COLOURS = [TEST_COLOURS.red, TEST_COLOURS.blue, TEST_COLOURS.green, TEST_COLOURS.red];

/** A dataset of a red, a blue, a green and another red image. */
async function colourDataset(): Promise<Dataset> {
  const root = await scratchFolder(cleanUps);
  const source = path.join(root, 'photos');
  await mkdir(source);
  for (const [index, colour] of COLOURS.entries()) {
    // A size of its own each: two equal files would be one image.
    const image = await makeColourImage(colour, { width: 64 + index * 8 });
    await writeFile(path.join(source, `photo-${index}.png`), image);
  }
  const dataset = await createDataset(path.join(root, 'dataset'), { prefix: 'tag' });
  await dataset.import(source).done;
  return dataset;
}

/**
 * The real tagger, held after its first image until `release` is called: a job is then
 * certainly still running when the test cancels it or starts another.
 */
function heldTagger(inner: ImageTagger): { tagger: ImageTagger; release: () => void } {
  let release = (): void => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    release: () => release(),
    tagger: {
      modelPath: inner.modelPath,
      tagsPath: inner.tagsPath,
      async *tag(inputs, options) {
        let first = true;
        for await (const result of inner.tag(inputs, options)) {
          yield result;
          if (first) await held;
          first = false;
        }
      },
    },
  };
}

function jsonRequest(
  base: string,
  route: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${base}${route}`, {
    method: init.method ?? 'POST',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

describe('auto-tagging from the browser', () => {
  it('runs a job that every connected client follows: tagging frames and the proposals as changes', async () => {
    const dataset = await colourDataset();
    const { base, socketUrl } = await startServer(dataset, cleanUps, { tagger });
    const start = await fetchAllImages(base);
    const clients = ['starter', 'watcher'].map((clientId) => {
      const client = createClient({
        url: socketUrl,
        WebSocket: WebSocket as never,
        clientId,
        since: start.revision,
      });
      const seen = { tagging: [] as AutoTagProgress[], changes: [] as Change[] };
      client.on('tagging', (progress) => seen.tagging.push(progress));
      client.on('change', (change) => seen.changes.push(change));
      cleanUps.push(async () => client.close());
      return { client, seen };
    });
    await Promise.all(
      clients.map(
        ({ client }) =>
          new Promise<void>((resolve) => {
            if (client.status === 'open') resolve();
            else client.on('welcome', () => resolve());
          }),
      ),
    );

    const response = await jsonRequest(base, '/api/autotag', {
      body: { target: { all: true }, thresholds: { general: 0.35 } },
    });
    expect(response.status).toBe(202);
    const started = (await response.json()) as AutoTagProgress;
    expect(started).toMatchObject({ state: 'running', failed: [] });

    for (const { seen } of clients) {
      await waitUntil(() => seen.tagging.some((progress) => progress.state === 'done'));
      const last = seen.tagging.at(-1);
      expect(last).toMatchObject({ jobId: started.jobId, state: 'done', total: 4, scored: 4 });
      const scored = seen.changes
        .filter((change) => change.origin === 'tagger')
        .flatMap((change) => change.changes);
      expect(scored.map((image) => image.imageId).sort()).toEqual(
        start.images.map((image) => image.id).sort(),
      );
      const red = scored.find((image) => image.imageId === start.images[0]!.id);
      const blue = scored.find((image) => image.imageId === start.images[1]!.id);
      expect(red?.proposals?.map((proposal) => proposal.tag)).toContain('red');
      expect(blue?.proposals?.map((proposal) => proposal.tag)).toContain('blue');
      expect(blue?.rating?.label).toBe('general');
    }
    // What the clients were told is what a reload shows.
    const after = await fetchAllImages(base);
    const blueRecord = after.images.find((image) => image.id === start.images[1]!.id);
    const blueSeen = clients[1]!.seen.changes
      .flatMap((change) => change.changes)
      .find((image) => image.imageId === blueRecord?.id);
    expect(blueSeen?.proposals).toEqual(blueRecord?.proposals);
    expect(blueSeen?.rev).toBe(blueRecord?.rev);
    const status = (await (await fetch(`${base}/api/autotag`)).json()) as AutoTagStatus;
    expect(status).toMatchObject({ tagger: true, job: { jobId: started.jobId, state: 'done' } });

    // A tab that was away during the job catches up from the change feed with the same proposals.
    const late = createClient({
      url: socketUrl,
      WebSocket: WebSocket as never,
      clientId: 'late',
      since: start.revision,
    });
    cleanUps.push(async () => late.close());
    const caughtUp: Change[] = [];
    late.on('change', (change) => caughtUp.push(change));
    await waitUntil(() => caughtUp.at(-1)?.revision === after.revision);
    const blueCaughtUp = caughtUp
      .flatMap((change) => change.changes)
      .find((image) => image.imageId === blueRecord?.id);
    expect(blueCaughtUp?.proposals).toEqual(blueRecord?.proposals);

    // Rejecting a proposal reaches the other client with what stays pending.
    const before = clients[1]!.seen.changes.length;
    await jsonRequest(base, '/api/ops', {
      body: { op: { type: 'reject-proposals', target: { ids: [blueRecord!.id] }, tags: ['blue'] } },
    });
    await waitUntil(() => clients[1]!.seen.changes.length > before);
    const rejected = clients[1]!.seen.changes.at(-1)?.changes[0];
    expect(rejected?.imageId).toBe(blueRecord!.id);
    expect(rejected?.proposals?.map((proposal) => proposal.tag)).not.toContain('blue');
    expect(rejected?.proposals?.length).toBe((blueRecord?.proposals?.length ?? 0) - 1);

    // The filter finds the images with proposals pending: not one whose proposals are all rejected.
    await jsonRequest(base, '/api/ops', {
      body: { op: { type: 'reject-proposals', target: { ids: [blueRecord!.id] } } },
    });
    const pendingIds = async () => {
      const page = (await (
        await fetch(`${base}/api/images?q=${encodeURIComponent('has:proposals')}`)
      ).json()) as ImagesPage;
      return page.images.map((image) => image.id).sort();
    };
    expect(await pendingIds()).toEqual(
      start.images
        .map((image) => image.id)
        .filter((id) => id !== blueRecord!.id)
        .sort(),
    );
  });

  it('refuses a second job while one runs (409), cancels the running one, and keeps what it stored', async () => {
    const dataset = await colourDataset();
    const held = heldTagger(tagger);
    const { base } = await startServer(dataset, cleanUps, { tagger: held.tagger });
    // Released before the server closes, should the test fail while the tagger is held.
    cleanUps.push(async () => held.release());
    const first = (await (await jsonRequest(base, '/api/autotag', { body: {} })).json()) as {
      jobId: string;
    };
    const second = await jsonRequest(base, '/api/autotag', { body: {} });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('CONFLICT');

    // The first image is stored before the tagger is held.
    await waitUntil(() => dataset.images().some((image) => image.proposals !== undefined));
    const cancelled = await jsonRequest(base, `/api/autotag/${first.jobId}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    held.release();
    await waitUntil(async () => {
      const status = (await (await fetch(`${base}/api/autotag`)).json()) as AutoTagStatus;
      return status.job?.state === 'cancelled';
    });
    const status = (await (await fetch(`${base}/api/autotag`)).json()) as AutoTagStatus;
    expect(status.job).toMatchObject({ jobId: first.jobId, state: 'cancelled', scored: 1 });
    expect(dataset.images().filter((image) => image.proposals !== undefined)).toHaveLength(1);
    // Cancelling a job that no longer runs is a 404; a new job resumes with the rest.
    const again = await jsonRequest(base, `/api/autotag/${first.jobId}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    const resumed = (await (await jsonRequest(base, '/api/autotag', { body: {} })).json()) as {
      jobId: string;
    };
    await waitUntil(async () => {
      const now = (await (await fetch(`${base}/api/autotag`)).json()) as AutoTagStatus;
      return now.job?.jobId === resumed.jobId && now.job.state === 'done';
    });
    const done = (await (await fetch(`${base}/api/autotag`)).json()) as AutoTagStatus;
    expect(done.job).toMatchObject({ scored: 3, skipped: 1 });
  });

  it('shuts down within its grace while the tagger is stuck, with the dataset closed and what was journaled kept', async () => {
    const dataset = await colourDataset();
    const held = heldTagger(tagger);
    const { server, base } = await startServer(dataset, cleanUps, { tagger: held.tagger });
    cleanUps.push(async () => held.release());
    await jsonRequest(base, '/api/autotag', { body: {} });
    await waitUntil(() => dataset.images().some((image) => image.proposals !== undefined));
    await server.close({ autoTagGraceMs: 50 });
    // The lock is released: the dataset opens again at once, with the image that was stored.
    const reopened = await openDataset(dataset.dir);
    cleanUps.push(() => reopened.close());
    expect(reopened.images().filter((image) => image.proposals !== undefined)).toHaveLength(1);
    held.release();
    expect(await reopened.autoTag(tagger).done).toMatchObject({ scored: 3, skipped: 1 });
  });

  it('reports a job that fails as a whole, naming the file and the fix, and takes the next one', async () => {
    const dataset = await colourDataset();
    const folder = await scratchFolder(cleanUps);
    const moved = await loadTagger((await writeTestTagger(path.join(folder, 'tagger'))).folder, {
      threads: 1,
    });
    cleanUps.push(() => moved.close());
    const { base, socketUrl } = await startServer(dataset, cleanUps, { tagger: moved });
    const frames: AutoTagProgress[] = [];
    const client = createClient({ url: socketUrl, WebSocket: WebSocket as never });
    cleanUps.push(async () => client.close());
    client.on('tagging', (progress) => frames.push(progress));
    await new Promise<void>((resolve) => {
      if (client.status === 'open') resolve();
      else client.on('welcome', () => resolve());
    });
    await rename(moved.modelPath, `${moved.modelPath}.away`);
    await jsonRequest(base, '/api/autotag', { body: {} });
    await waitUntil(async () => {
      const status = (await (await fetch(`${base}/api/autotag`)).json()) as AutoTagStatus;
      return status.job?.state === 'failed';
    });
    const status = (await (await fetch(`${base}/api/autotag`)).json()) as AutoTagStatus;
    expect(status.job?.error?.code).toBe('NOT_FOUND');
    expect(status.job?.error?.message).toContain(moved.modelPath);
    await waitUntil(() => frames.some((frame) => frame.state === 'failed'));
    expect(frames.find((frame) => frame.state === 'failed')?.error).toEqual(status.job?.error);
    await rename(`${moved.modelPath}.away`, moved.modelPath);
    const next = await jsonRequest(base, '/api/autotag', { body: {} });
    expect(next.status).toBe(202);
    await waitUntil(async () => {
      const now = (await (await fetch(`${base}/api/autotag`)).json()) as AutoTagStatus;
      return now.job?.state === 'done';
    });
    expect(dataset.images().every((image) => image.proposals !== undefined)).toBe(true);
  });

  it('says how to get a tagger when the server was started without one', async () => {
    const dataset = await colourDataset();
    const { base } = await startServer(dataset, cleanUps);
    const health = (await (await fetch(`${base}/api/health`)).json()) as HealthResponse;
    expect(health.tagger).toBe(false);
    const response = await jsonRequest(base, '/api/autotag', { body: {} });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).toContain('start civtag serve with --model DIR');
    expect(await (await fetch(`${base}/api/autotag`)).json()).toEqual({ tagger: false });
  });

  it('answers a bad request with 400 naming the field', async () => {
    const dataset = await colourDataset();
    const { base } = await startServer(dataset, cleanUps, { tagger });
    const response = await jsonRequest(base, '/api/autotag', { body: { mode: 'overwrite' } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.message).toContain('mode');
    expect(dataset.images().every((image) => image.proposals === undefined)).toBe(true);
  });

  it('refuses to start or cancel a job without the token, or from a foreign origin, on an exposed server', async () => {
    const dataset = await colourDataset();
    const { base, server } = await startServer(dataset, cleanUps, {
      tagger,
      requireToken: true,
    });
    const token = server.token!;
    const withoutToken = await jsonRequest(base, '/api/autotag', { body: {} });
    expect(withoutToken.status).toBe(401);
    const cancelWithoutToken = await jsonRequest(base, '/api/autotag/any', { method: 'DELETE' });
    expect(cancelWithoutToken.status).toBe(401);
    const foreign = await jsonRequest(base, '/api/autotag', {
      body: {},
      headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(dataset.images().every((image) => image.proposals === undefined)).toBe(true);
    const allowed = await jsonRequest(base, '/api/autotag', {
      body: {},
      headers: { authorization: `Bearer ${token}` },
    });
    expect(allowed.status).toBe(202);
  });
});
