import type { ImageRecord, ImagesPage } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { PageCache, type PageSource } from './page-cache.js';

function record(index: number, tags: string[] = ['a'], rev = 1): ImageRecord {
  const id = `img${String(index).padStart(5, '0')}`;
  return {
    id,
    file: `${id}.png`,
    hash: `h${index}`,
    width: 512,
    height: 512,
    format: 'png',
    tags,
    rev,
    excluded: false,
  };
}

/** A server-like page source over an array: cursors are opaque strings, like the real one. */
function arraySource(records: ImageRecord[], options: { reportTotal?: boolean } = {}) {
  const requests: { cursor?: string; limit: number; q?: string }[] = [];
  const source: PageSource = async (request) => {
    requests.push(request);
    const start = request.cursor === undefined ? 0 : Number(request.cursor.slice(1));
    const images = records.slice(start, start + request.limit);
    const end = start + images.length;
    const page: ImagesPage = {
      revision: 5,
      images,
      nextCursor: end < records.length ? `c${end}` : null,
    };
    if (options.reportTotal) page.total = records.length;
    return page;
  };
  return { source, requests };
}

const records = Array.from({ length: 25 }, (_, index) => record(index));

describe('PageCache', () => {
  it('fetches only the pages needed to reach an index, following the cursors', async () => {
    const { source, requests } = arraySource(records);
    const cache = new PageCache({ source, pageSize: 10 });
    await cache.ensureLoaded(12);
    expect(cache.loadedCount).toBe(20);
    expect(requests.map((request) => request.cursor)).toEqual([undefined, 'c10']);
    expect(cache.at(15)?.id).toBe('img00015');
    expect(cache.at(20)).toBeUndefined();
    expect(cache.firstRevision).toBe(5);
    expect(cache.complete).toBe(false);
  });

  it('fetches each page once when several parts of the grid ask at the same time', async () => {
    const { source, requests } = arraySource(records);
    const cache = new PageCache({ source, pageSize: 10 });
    await Promise.all([cache.ensureLoaded(5), cache.ensureLoaded(15), cache.ensureLoaded(8)]);
    expect(requests).toHaveLength(2);
    await cache.loadAll();
    expect(cache.complete).toBe(true);
    expect(cache.total).toBe(25);
    expect(requests).toHaveLength(3);
  });

  it('passes the filter query with every page request', async () => {
    const { source, requests } = arraySource(records);
    const cache = new PageCache({ source, pageSize: 10, query: ' solo ' });
    await cache.loadAll();
    expect(requests.every((request) => request.q === 'solo')).toBe(true);
  });

  it('estimates the total from the hint until the server reports it', async () => {
    const hinted = new PageCache({
      source: arraySource(records).source,
      pageSize: 10,
      totalHint: 25,
    });
    expect(hinted.total).toBe(25);
    expect(hinted.totalKnown).toBe(false);
    const reported = new PageCache({
      source: arraySource(records, { reportTotal: true }).source,
      pageSize: 10,
    });
    await reported.ensureLoaded(1);
    expect(reported.total).toBe(25);
    expect(reported.totalKnown).toBe(true);
  });

  it('applies a socket change to a loaded record and ignores an older one', async () => {
    const cache = new PageCache({ source: arraySource(records).source, pageSize: 10 });
    await cache.ensureLoaded(1);
    expect(cache.applyChange({ imageId: 'img00003', tags: ['a', 'b'], rev: 7 })).toBe(true);
    expect(cache.get('img00003')?.tags).toEqual(['a', 'b']);
    expect(cache.applyChange({ imageId: 'img00003', tags: ['old'], rev: 6 })).toBe(false);
    expect(cache.get('img00003')?.tags).toEqual(['a', 'b']);
    expect(cache.applyChange({ imageId: 'img00003', tags: [], rev: 8, excluded: true })).toBe(true);
    expect(cache.get('img00003')?.excluded).toBe(true);
    expect(cache.applyChange({ imageId: 'img00099', tags: ['x'], rev: 9 })).toBe(false);
  });

  it('keeps a change that arrived while the page holding its image was on its way', async () => {
    let release: (page: ImagesPage) => void = () => {};
    const cache = new PageCache({
      pageSize: 2,
      source: () =>
        new Promise<ImagesPage>((resolve) => {
          release = resolve;
        }),
    });
    const loading = cache.ensureLoaded(2);
    // The server read the page at revision 1, then image 1 changed (revision 2) and the socket
    // delivered that change before the page arrived.
    cache.applyChange({ imageId: 'img00001', tags: ['changed'], rev: 2 });
    release({
      revision: 1,
      images: [record(0, ['a'], 1), record(1, ['stale'], 1)],
      nextCursor: null,
    });
    await loading;
    expect(cache.get('img00001')?.tags).toEqual(['changed']);
    expect(cache.get('img00000')?.tags).toEqual(['a']);
  });

  it('stops on a fetch error, reports it, and retries on the next request', async () => {
    let fail = true;
    const { source } = arraySource(records);
    const cache = new PageCache({
      pageSize: 10,
      source: async (request) => {
        if (fail) throw new Error('server gone');
        return source(request);
      },
    });
    await expect(cache.ensureLoaded(5)).rejects.toThrow('server gone');
    expect(cache.error).toBeInstanceOf(Error);
    fail = false;
    await cache.ensureLoaded(5);
    expect(cache.loadedCount).toBe(10);
    expect(cache.error).toBeNull();
  });

  it('tells subscribers about each page and each batch of changes', async () => {
    const cache = new PageCache({ source: arraySource(records).source, pageSize: 10 });
    let calls = 0;
    const unsubscribe = cache.subscribe(() => {
      calls += 1;
    });
    await cache.loadAll();
    expect(calls).toBe(3);
    cache.notify();
    unsubscribe();
    cache.notify();
    expect(calls).toBe(4);
  });

  it('ends on an empty page even if the server names another cursor', async () => {
    const cache = new PageCache({
      pageSize: 10,
      source: async () => ({ revision: 1, images: [], nextCursor: 'again' }),
    });
    await cache.loadAll();
    expect(cache.complete).toBe(true);
    expect(cache.total).toBe(0);
  });
});
