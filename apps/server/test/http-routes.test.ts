import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  ImageRecord,
  ImagesPage,
  ImportProgress,
  OpResponse,
  TagsResponse,
} from '@civtag/api-models';
import type { Dataset } from '@civtag/core';
import { zipEntries } from '@civtag/test-zip';
import type { ServerFrame } from '@civtag/ws-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  captionsWritten,
  captionTagsOnDisk,
  makeDataset,
  scratchFolder,
  startServer,
  waitUntil,
  writeImages,
} from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
let base: string;
let socketUrl: string;
let dataset: Dataset;
let images: ImageRecord[];
let importRoot: string;

afterAll(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

beforeAll(async () => {
  const root = await scratchFolder(cleanUps);
  dataset = await makeDataset(root, 3);
  importRoot = path.join(root, 'incoming');
  await writeImages(path.join(importRoot, 'batch-1'), 2, 100);
  const vocabularyFile = path.join(root, 'tags.csv');
  await writeFile(vocabularyFile, 'long_hair,0,1200,"longhair,long-hair"\nsmile,0,900,""\n');
  const { parseVocabularyCsv } = await import('@civtag/tags');
  ({ base, socketUrl } = await startServer(dataset, cleanUps, {
    importRoots: [importRoot],
    vocabulary: parseVocabularyCsv(await readFile(vocabularyFile, 'utf8')),
  }));
  images = ((await (await fetch(`${base}/api/images`)).json()) as { images: ImageRecord[] }).images;
});

async function postJson(route: string, body: unknown): Promise<Response> {
  return fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('the HTTP API', () => {
  it('reports health and the dataset', async () => {
    expect(await (await fetch(`${base}/api/health`)).json()).toMatchObject({ ok: true });
    expect(await (await fetch(`${base}/api/dataset`)).json()).toMatchObject({
      id: dataset.id,
      imageCount: 3,
      settings: { prefix: 'test' },
    });
  });

  it('pages through images and finds one by id', async () => {
    const first = (await (await fetch(`${base}/api/images?limit=2`)).json()) as {
      images: ImageRecord[];
      nextCursor: string;
    };
    expect(first.images).toHaveLength(2);
    const second = (await (
      await fetch(`${base}/api/images?limit=2&cursor=${first.nextCursor}`)
    ).json()) as { images: ImageRecord[]; nextCursor: null };
    expect(second.images.map((image) => image.id)).toEqual([images[2]!.id]);
    expect(await (await fetch(`${base}/api/images/${images[0]!.id}`)).json()).toEqual(images[0]);
    const missing = await fetch(`${base}/api/images/no-such-image`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('serves thumbnails with an immutable cache and a content-hash ETag, and 304 when fresh', async () => {
    const image = images[0]!;
    const response = await fetch(`${base}/api/images/${image.id}/thumb`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = response.headers.get('etag')!;
    expect(etag).toContain(image.hash);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const again = await fetch(`${base}/api/images/${image.id}/thumb`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('serves the image file by id, byte for byte', async () => {
    const image = images[1]!;
    const response = await fetch(`${base}/api/images/${image.id}/file`);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(
      await readFile(path.join(dataset.dir, image.file)),
    );
    const again = await fetch(`${base}/api/images/${image.id}/file`, {
      headers: { 'if-none-match': response.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('applies an op once however often it is sent, writes the caption, and undoes and redoes it', async () => {
    const image = images[0]!;
    const request = {
      op: { type: 'add', target: { ids: [image.id] }, tags: ['sunny day'] },
      clientId: 'script',
      opId: 'once',
    };
    // Answered once durable: the revision and how many images changed; a resend, from memory.
    const first = (await (await postJson('/api/ops', request)).json()) as OpResponse;
    const second = (await (await postJson('/api/ops', request)).json()) as OpResponse;
    expect(first).toEqual({ revision: first.revision, count: 1 });
    expect(second).toEqual({ revision: first.revision, count: 1, duplicate: true });
    await captionsWritten(base);
    expect((await captionTagsOnDisk(dataset.dir, [image])).get(image.id)).toEqual(['sunny day']);
    const tagsNow = async () =>
      (
        (await (
          await fetch(`${base}/api/images?q=${encodeURIComponent(`id:${image.id}`)}`)
        ).json()) as ImagesPage
      ).images[0]?.tags;

    const undone = (await (await postJson('/api/undo', {})).json()) as OpResponse;
    // The answer says what was undone, for the toast.
    expect(undone).toEqual({
      revision: first.revision + 1,
      count: 1,
      description: "added 'sunny day' to 1 image",
    });
    expect(await tagsNow()).toEqual([]);
    const redone = (await (await postJson('/api/redo', {})).json()) as OpResponse;
    expect(redone).toEqual({
      revision: first.revision + 2,
      count: 1,
      description: "added 'sunny day' to 1 image",
    });
    expect(await tagsNow()).toEqual(['sunny day']);
    await captionsWritten(base);
    expect((await captionTagsOnDisk(dataset.dir, [image])).get(image.id)).toEqual(['sunny day']);
    expect(await (await fetch(`${base}/api/tags`)).json()).toMatchObject({
      tags: [{ tag: 'sunny day', count: 1 }],
    });
    // With a filter, the counts among its images come beside the dataset's.
    const among = async (q: string) =>
      (await (await fetch(`${base}/api/tags?q=${encodeURIComponent(q)}`)).json()) as {
        tags: unknown[];
        matching?: unknown[];
      };
    expect(await among('"sunny day"')).toMatchObject({
      tags: [{ tag: 'sunny day', count: 1 }],
      matching: [{ tag: 'sunny day', count: 1 }],
    });
    expect((await among('NOT "sunny day"')).matching).toEqual([]);
    const malformed = await fetch(`${base}/api/tags?q=${encodeURIComponent('tags<')}`);
    expect(malformed.status).toBe(400);
  });

  it('applies once an op sent over HTTP and then resent on the socket with the same ids', async () => {
    const op = { type: 'add', target: { ids: [images[2]!.id] }, tags: ['both roads'] };
    const overHttp = (await (
      await postJson('/api/ops', { op, clientId: 'roads', opId: 'op-7' })
    ).json()) as { revision: number };
    const socket = new WebSocket(socketUrl);
    const frames: ServerFrame[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as ServerFrame));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ v: 1, type: 'hello', data: { clientId: 'roads' } }));
    socket.send(JSON.stringify({ v: 1, type: 'op', id: 'op-7', data: { op } }));
    await waitUntil(() => frames.some((frame) => frame.type === 'ack'));
    expect(frames.find((frame) => frame.type === 'ack')).toMatchObject({
      id: 'op-7',
      data: { revision: overHttp.revision },
    });
    expect(dataset.revision).toBe(overHttp.revision);
    socket.terminate();
  });

  it('answers an invalid op with 400 and the field at fault', async () => {
    const response = await postJson('/api/ops', {
      op: { type: 'add', target: { all: true }, tags: [] },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.message).toContain('tags');
  });

  it('replays changes over HTTP and says reload for a revision it does not know', async () => {
    const changes = (await (await fetch(`${base}/api/changes?since=0`)).json()) as {
      reload: boolean;
      changes: unknown[];
    };
    expect(changes.reload).toBe(false);
    expect(changes.changes.length).toBeGreaterThan(0);
    expect(await (await fetch(`${base}/api/changes?since=999999`)).json()).toMatchObject({
      reload: true,
    });
    expect((await fetch(`${base}/api/changes?since=-1`)).status).toBe(400);
  });

  it('checks the dataset and serves the vocabulary with an ETag', async () => {
    expect(await (await fetch(`${base}/api/check`)).json()).toMatchObject({ imageCount: 3 });
    const vocabulary = await fetch(`${base}/api/vocabulary`);
    expect(await vocabulary.json()).toMatchObject({
      entries: [{ tag: 'long_hair' }, { tag: 'smile' }],
    });
    const again = await fetch(`${base}/api/vocabulary`, {
      headers: { 'if-none-match': vocabulary.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it("gives each tag of GET /api/tags the vocabulary's category, in any form of the tag", async () => {
    const image = images[1]!;
    const added = await postJson('/api/ops', {
      op: { type: 'add', target: { ids: [image.id] }, tags: ['Long Hair', 'no such tag'] },
    });
    expect(added.status).toBe(200);
    const { tags } = (await (await fetch(`${base}/api/tags`)).json()) as TagsResponse;
    const named = (tag: string) =>
      tags.find((entry) => entry.tag.toLowerCase().replaceAll('_', ' ') === tag);
    expect(named('long hair')).toMatchObject({ category: 0 });
    expect(named('no such tag')).toBeDefined();
    expect(named('no such tag')).not.toHaveProperty('category');
    await postJson('/api/undo', {});
  });

  it('lists the folders under the import roots and imports one of them, with progress', async () => {
    const roots = (await (await fetch(`${base}/api/import-roots`)).json()) as {
      roots: { folders: { path: string; imageCount: number }[] }[];
    };
    const batch = roots.roots[0]!.folders.find((folder) => folder.path.endsWith('batch-1'))!;
    expect(batch.imageCount).toBe(2);
    // A socket client hears the import's progress as it runs.
    const socket = new WebSocket(socketUrl);
    const progressFrames: ImportProgress[] = [];
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if (frame.type === 'progress') progressFrames.push(frame.data);
    });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ v: 1, type: 'hello', data: { clientId: 'watcher' } }));
    const started = await postJson('/api/imports', { source: batch.path });
    expect(started.status).toBe(202);
    const { jobId } = (await started.json()) as { jobId: string };
    let progress: ImportProgress | undefined;
    await waitUntil(async () => {
      progress = (await (await fetch(`${base}/api/imports/${jobId}`)).json()) as ImportProgress;
      return progress.state !== 'running';
    });
    expect(progress).toMatchObject({ state: 'done', total: 2, failed: 0, duplicates: [] });
    expect(dataset.images()).toHaveLength(5);
    await waitUntil(() => progressFrames.some((frame) => frame.state === 'done'));
    expect(progressFrames.at(-1)).toMatchObject({ jobId, state: 'done', done: 2, total: 2 });
    socket.terminate();
  });

  it('refuses an import from outside the import roots', async () => {
    const outside = path.join(importRoot, '..', 'source');
    await mkdir(outside, { recursive: true });
    const response = await postJson('/api/imports', { source: outside });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'PATH_OUTSIDE_ROOT' } });
  });

  it('streams the export as a zip, flat for Civitai and in a repeats folder for kohya', async () => {
    const zip = await fetch(`${base}/api/export?format=zip`);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const zipBytes = Buffer.from(await zip.arrayBuffer());
    expect(zipBytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(zipBytes.includes(Buffer.from(`${images[0]!.file.replace('.png', '.txt')}`))).toBe(true);
    const kohya = Buffer.from(
      await (await fetch(`${base}/api/export?format=kohya&repeats=3`)).arrayBuffer(),
    );
    expect(kohya.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(kohya.includes(Buffer.from(`3_test/${images[0]!.file}`))).toBe(true);
    expect((await fetch(`${base}/api/export?format=tar`)).status).toBe(400);
  });

  it('writes the kohya captions in the tag style asked for: escaped parentheses, spaces for underscores', async () => {
    const image = images[1]!;
    const op = { type: 'set', imageId: image.id, tags: ['hatsune_miku_(cosplay)', 'long_hair'] };
    expect((await postJson('/api/ops', { op })).status).toBe(200);
    await captionsWritten(base);
    const caption = `10_test/${image.file.replace('.png', '.txt')}`;
    const download = async (query: string) => {
      const response = await fetch(`${base}/api/export?format=kohya${query}`);
      expect(response.status).toBe(200);
      return zipEntries(Buffer.from(await response.arrayBuffer()))
        .get(caption)
        ?.toString('utf8');
    };
    // Without options a download is in the dataset's own style: its caption file, as written.
    const ownStyle = await readFile(
      path.join(dataset.dir, image.file.replace('.png', '.txt')),
      'utf8',
    );
    expect(await download('')).toBe(ownStyle);
    expect(await download('&escapeParentheses=true')).toBe(ownStyle.replace(/[()]/g, '\\$&'));
    expect(await download('&underscoresToSpaces=true')).toBe('hatsune miku (cosplay), long hair');
    expect(await download('&escapeParentheses=true&underscoresToSpaces=true')).toBe(
      'hatsune miku \\(cosplay\\), long hair',
    );
    expect(await download('&escapeParentheses=false&underscoresToSpaces=false')).toBe(ownStyle);
    const zip = zipEntries(
      Buffer.from(
        await (await fetch(`${base}/api/export?format=zip&underscoresToSpaces=true`)).arrayBuffer(),
      ),
    );
    expect(zip.get(image.file.replace('.png', '.txt'))?.toString('utf8')).toBe(
      'hatsune miku (cosplay), long hair',
    );
  });

  it('refuses a tag style option that is not true or false, naming it', async () => {
    for (const query of ['escapeParentheses=yes', 'underscoresToSpaces=1', 'escapeParentheses=']) {
      const response = await fetch(`${base}/api/export?format=kohya&${query}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('VALIDATION');
      expect(body.error.message).toContain(`"${query.split('=')[0]}"`);
    }
  });

  it('answers an unknown API route with a JSON 404 and a page route with the web app', async () => {
    const api = await fetch(`${base}/api/nothing-here`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const page = await fetch(`${base}/some/page`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });
});
