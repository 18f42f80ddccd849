import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { ImageRecord, ImagesPage } from '@civtag/api-models';
import type { VocabularyEntry } from '@civtag/tags';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataset, scratchFolder, startServer } from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
let base: string;
let images: ImageRecord[];
const vocabulary: VocabularyEntry[] = Array.from({ length: 2000 }, (_, index) => ({
  tag: `tag_number_${index}`,
  category: index % 5,
  count: 5000 - index,
  aliases: index % 7 === 0 ? [`alias_${index}`] : [],
}));

afterAll(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

beforeAll(async () => {
  const root = await scratchFolder(cleanUps);
  const dataset = await makeDataset(root, 7);
  ({ base } = await startServer(dataset, cleanUps, { vocabulary }));
  images = ((await (await fetch(`${base}/api/images`)).json()) as ImagesPage).images;
  // Images 1, 3, 4 and 6 carry "odd one": a filter whose positions differ from import order's.
  const response = await fetch(`${base}/api/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      op: {
        type: 'add',
        target: { ids: [1, 3, 4, 6].map((at) => images[at]!.id) },
        tags: ['odd one'],
      },
    }),
  });
  expect(response.status).toBe(200);
});

async function page(search: string): Promise<ImagesPage> {
  const response = await fetch(`${base}/api/images?${search}`);
  expect(response.status).toBe(200);
  return (await response.json()) as ImagesPage;
}

/** A raw GET: the bytes as sent, undecoded, and the headers. */
function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const call = request(`${base}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    call.on('error', reject);
    call.end();
  });
}

describe('GET /api/images by position', () => {
  it('starts a page at an offset, so the last images come without the pages before them', async () => {
    const last = await page('offset=5&limit=100');
    expect(last.images.map((image) => image.id)).toEqual(images.slice(5).map((image) => image.id));
    expect(last.total).toBe(7);
    expect(last.nextCursor).toBeNull();
    const middle = await page('offset=2&limit=2');
    expect(middle.images.map((image) => image.id)).toEqual([images[2]!.id, images[3]!.id]);
    expect((await page(`cursor=${middle.nextCursor}&limit=10`)).images[0]?.id).toBe(images[4]!.id);
  });

  it('counts the offset among the images that match the filter', async () => {
    const q = encodeURIComponent('"odd one"');
    expect((await page(`q=${q}&offset=0&limit=10`)).images.map((image) => image.id)).toEqual(
      [1, 3, 4, 6].map((at) => images[at]!.id),
    );
    const end = await page(`q=${q}&offset=3&limit=10`);
    expect(end.images.map((image) => image.id)).toEqual([images[6]!.id]);
    expect(end.total).toBe(4);
    const second = await page(`q=${q}&offset=1&limit=2`);
    expect(second.images.map((image) => image.id)).toEqual([images[3]!.id, images[4]!.id]);
  });

  it('answers an offset past the end with an empty page and the total', async () => {
    expect(await page('offset=50&limit=10')).toMatchObject({
      images: [],
      total: 7,
      nextCursor: null,
    });
    const q = encodeURIComponent('"odd one"');
    expect(await page(`q=${q}&offset=4&limit=10`)).toMatchObject({ images: [], total: 4 });
  });

  it('refuses a cursor and an offset together, and a negative offset', async () => {
    const both = await fetch(`${base}/api/images?cursor=2&offset=3`);
    expect(both.status).toBe(400);
    expect(await both.json()).toMatchObject({ error: { code: 'VALIDATION' } });
    expect((await fetch(`${base}/api/images?offset=-1`)).status).toBe(400);
  });
});

describe('GET /api/vocabulary', () => {
  it('sends the vocabulary brotli-compressed to a client that accepts it, smaller than the JSON', async () => {
    const plain = await rawGet('/api/vocabulary', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString('utf8'))).toEqual({ entries: vocabulary });
    const br = await rawGet('/api/vocabulary', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
  });

  it('sends gzip when brotli is not accepted', async () => {
    const gzipped = await rawGet('/api/vocabulary', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzipped.body).toString('utf8')).entries).toHaveLength(2000);
  });

  it('answers 304 to the ETag of the representation the client holds', async () => {
    const br = await rawGet('/api/vocabulary', { 'accept-encoding': 'br' });
    const plain = await rawGet('/api/vocabulary', {});
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    const again = await rawGet('/api/vocabulary', {
      'accept-encoding': 'br',
      'if-none-match': String(br.headers.etag),
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const stale = await rawGet('/api/vocabulary', {
      'accept-encoding': 'br',
      'if-none-match': String(plain.headers.etag),
    });
    expect(stale.status).toBe(200);
  });
});
