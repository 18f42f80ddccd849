import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CaptionProgress, OpResponse } from '@civtag/api-models';
import type { Dataset } from '@civtag/core';
import type { ServerFrame } from '@civtag/ws-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  captionsWritten,
  captionTagsOnDisk,
  fetchAllImages,
  makeDataset,
  scratchFolder,
  startServer,
  waitUntil,
} from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
let base: string;
let origin: string;
let socketUrl: string;
let dataset: Dataset;
const captionFrames: CaptionProgress[] = [];

beforeAll(async () => {
  const root = await scratchFolder(cleanUps);
  dataset = await makeDataset(root, 30);
  ({ base, origin, socketUrl } = await startServer(dataset, cleanUps));
  const socket = new WebSocket(socketUrl, { origin });
  cleanUps.push(async () => socket.terminate());
  let welcomed = false;
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame;
    if (frame.type === 'welcome') welcomed = true;
    if (frame.type === 'captions') captionFrames.push(frame.data);
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ v: 1, type: 'hello', data: { clientId: 'watcher' } }));
  await waitUntil(() => welcomed);
});

afterAll(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

async function addToAll(tag: string): Promise<Response> {
  return fetch(`${base}/api/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ op: { type: 'add', target: { all: true }, tags: [tag] } }),
  });
}

async function health(): Promise<{ captionsPending?: number }> {
  return (await fetch(`${base}/api/health`)).json() as Promise<{ captionsPending?: number }>;
}

describe('caption files written behind the answer', () => {
  it('answers a bulk op with its revision and count, and tells every socket when the captions are on disk', async () => {
    captionFrames.length = 0;
    const response = await addToAll('blue sky');
    expect(response.status).toBe(200);
    const answer = (await response.json()) as OpResponse;
    expect(answer).toEqual({ revision: dataset.revision, count: 30 });

    await waitUntil(() => captionFrames.at(-1)?.pending === 0);
    expect(captionFrames.some((frame) => frame.pending > 0)).toBe(true);
    expect(await health()).toMatchObject({ captionsPending: 0 });
    const { images } = await fetchAllImages(base);
    const onDisk = await captionTagsOnDisk(dataset.dir, images);
    expect([...onDisk.values()].every((tags) => tags.includes('blue sky'))).toBe(true);
  });

  it('keeps an op that is durable acknowledged when a caption cannot be written, and writes it once it can', async () => {
    const { images } = await fetchAllImages(base);
    const blocked = images[0];
    if (blocked === undefined) throw new Error('no images');
    const blocker = path.join(dataset.dir, blocked.file.replace(/\.png$/, '.txt'));
    await rm(blocker);
    await mkdir(blocker);
    captionFrames.length = 0;

    // The change is journaled: the answer says so, not 500.
    const response = await addToAll('cloud');
    expect(response.status).toBe(200);
    expect(((await response.json()) as OpResponse).count).toBe(30);
    await waitUntil(() => (captionFrames.at(-1)?.failed ?? 0) > 0);
    expect(captionFrames.at(-1)).toMatchObject({ pending: 1, failed: 1 });
    expect(captionFrames.at(-1)?.error?.message).toContain(path.basename(blocker));
    expect(await health()).toMatchObject({ captionsPending: 1 });
    // Reads and other ops go on meanwhile.
    expect((await addToAll('rain')).status).toBe(200);
    expect((await fetchAllImages(base)).images[0]?.tags).toEqual(['blue sky', 'cloud', 'rain']);

    await rm(blocker, { recursive: true });
    await captionsWritten(base);
    expect(captionFrames.at(-1)).toEqual({ pending: 0, failed: 0 });
    const onDisk = await captionTagsOnDisk(dataset.dir, [blocked]);
    expect(onDisk.get(blocked.id)).toEqual(['blue sky', 'cloud', 'rain']);
  });
});
