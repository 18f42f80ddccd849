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

/** A server-like page source over an array, by position, like `GET /api/images?offset`. */
function arraySource(records: ImageRecord[], options: { reportTotal?: boolean } = {}) {
  const requests: { offset: number; limit: number; q?: string }[] = [];
  const source: PageSource = async ({ signal: _signal, ...request }) => {
    requests.push(request);
    const images = records.slice(request.offset, request.offset + request.limit);
    const end = request.offset + images.length;
    const page: ImagesPage = {
      revision: 5,
      images,
      nextCursor: end < records.length ? String(end) : null,
    };
    if (options.reportTotal ?? true) page.total = records.length;
    return page;
  };
  return { source, requests };
}

const records = Array.from({ length: 25 }, (_, index) => record(index));

describe('PageCache', () => {
  it('fetches only the pages needed to reach an index', async () => {
    const { source, requests } = arraySource(records);
    const cache = new PageCache({ source, pageSize: 10 });
    await cache.ensureLoaded(12);
    expect(cache.loadedCount).toBe(20);
    expect(requests.map((request) => request.offset)).toEqual([0, 10]);
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
      source: arraySource(records, { reportTotal: false }).source,
      pageSize: 10,
      totalHint: 25,
    });
    expect(hinted.total).toBe(25);
    expect(hinted.totalKnown).toBe(false);
    const reported = new PageCache({
      source: arraySource(records).source,
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

  it('takes the pending proposals and rating a change carries, and keeps them through one that carries none', async () => {
    const red = { tag: 'red', score: 0.9, category: 'general' as const };
    const dark = { tag: 'dark', score: 0.5, category: 'general' as const };
    const cache = new PageCache({ source: arraySource([record(0, [], 2)]).source, pageSize: 10 });
    await cache.ensureLoaded(1);
    const rating = { label: 'general', score: 0.8 };
    cache.applyChange({ imageId: 'img00000', tags: [], rev: 3, proposals: [red, dark], rating });
    expect(cache.get('img00000')).toMatchObject({ proposals: [red, dark], rating });
    cache.applyChange({ imageId: 'img00000', tags: ['red'], rev: 4, proposals: [dark] });
    expect(cache.get('img00000')).toMatchObject({ proposals: [dark], rating });
    cache.applyLocal('img00000', { tags: ['red'], excluded: false, rejected: ['dark'] });
    expect(cache.get('img00000')?.proposals).toEqual([]);
    // The undo of both: the server says which are pending again.
    cache.applyChange({ imageId: 'img00000', tags: [], rev: 5, proposals: [red, dark] });
    expect(cache.get('img00000')?.proposals).toEqual([red, dark]);
    cache.applyChange({ imageId: 'img00000', tags: ['x'], rev: 6 });
    expect(cache.get('img00000')?.proposals).toEqual([red, dark]);
    // An older change brings nothing back.
    expect(cache.applyChange({ imageId: 'img00000', tags: [], rev: 5, proposals: [] })).toBe(false);
    expect(cache.get('img00000')?.proposals).toEqual([red, dark]);
  });

  it('gives a page loaded after a tagger change the proposals that change carried', async () => {
    const red = { tag: 'red', score: 0.9, category: 'general' as const };
    const cache = new PageCache({ source: arraySource([record(0, [], 2)]).source, pageSize: 10 });
    cache.applyChange({ imageId: 'img00000', tags: [], rev: 3, proposals: [red] });
    await cache.ensureLoaded(1);
    expect(cache.get('img00000')?.proposals).toEqual([red]);
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

  it('ends on an empty page whatever total the server reports', async () => {
    const cache = new PageCache({
      pageSize: 10,
      source: async () => ({ revision: 1, images: [], nextCursor: 'again', total: 40 }),
    });
    await cache.loadAll();
    expect(cache.complete).toBe(true);
    expect(cache.total).toBe(0);
  });

  it('shows the last page without loading the pages before it', async () => {
    const { source, requests } = arraySource(records);
    const cache = new PageCache({ source, pageSize: 10, totalHint: 25 });
    await cache.show(22, 25);
    expect(requests.map((request) => request.offset)).toEqual([20]);
    expect(cache.at(24)?.id).toBe('img00024');
    expect(cache.at(0)).toBeUndefined();
    expect(cache.total).toBe(25);
    expect(cache.complete).toBe(false);
  });

  it('aborts the pages that scrolled away before they came, but not those someone awaits', async () => {
    const signals = new Map<number, AbortSignal>();
    const pending = new Map<number, (page: ImagesPage) => void>();
    const cache = new PageCache({
      pageSize: 10,
      source: ({ offset, signal }) =>
        new Promise<ImagesPage>((resolve, reject) => {
          signals.set(offset, signal!);
          pending.set(offset, resolve);
          signal!.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    });
    const flownPast = cache.show(0, 10);
    const awaited = cache.ensureLoaded(20);
    const later = cache.show(40, 45);
    expect(signals.get(0)?.aborted).toBe(false);
    expect(signals.get(40)?.aborted).toBe(false);
    const farther = cache.show(70, 75);
    expect(signals.get(40)?.aborted).toBe(true);
    await expect(later).resolves.toBeUndefined();
    const answerPending = () => {
      for (const [offset, resolve] of pending) {
        pending.delete(offset);
        if (signals.get(offset)?.aborted) continue;
        resolve({
          revision: 1,
          images: records.slice(offset, offset + 10),
          nextCursor: null,
          total: 80,
        });
      }
    };
    answerPending();
    // The awaited load asks for its second page once the first has come.
    await new Promise((resolve) => setTimeout(resolve, 0));
    answerPending();
    await Promise.all([flownPast, awaited, farther]);
    expect(cache.at(5)?.id).toBe('img00005');
    expect(cache.at(40)).toBeUndefined();
  });

  it('moves a record that a later page places elsewhere instead of showing it twice', async () => {
    let shifted = false;
    const cache = new PageCache({
      pageSize: 10,
      source: async ({ offset, limit }) => {
        // After the first page, image 99 joined the filter at position 3: the later ones moved down.
        const now = shifted ? [...records.slice(0, 3), record(99), ...records.slice(3)] : records;
        return {
          revision: 1,
          images: now.slice(offset, offset + limit),
          nextCursor: null,
          total: now.length,
        };
      },
    });
    await cache.show(0, 10);
    shifted = true;
    await cache.show(10, 20);
    expect(cache.at(10)?.id).toBe('img00009');
    expect(cache.at(9)).toBeUndefined();
    expect(cache.loaded().filter((entry) => entry.id === 'img00009')).toHaveLength(1);
    expect(cache.total).toBe(26);
    // The first page has a hole now: showing it again loads it again.
    await cache.show(0, 10);
    expect(cache.at(9)?.id).toBe('img00008');
    expect(cache.at(3)?.id).toBe('img00099');
  });
});

describe('PageCache.loadRange', () => {
  it('loads the page of a far position and keeps it when the view moves on', async () => {
    const signals: AbortSignal[] = [];
    const { source: arrayPages, requests } = arraySource(records);
    const cache = new PageCache({
      pageSize: 10,
      source: async (request) => {
        signals.push(request.signal!);
        await new Promise((resolve) => setTimeout(resolve, 0));
        return arrayPages(request);
      },
    });
    const jump = cache.loadRange(24, 25);
    void cache.show(0, 5);
    await jump;
    expect(signals[0]?.aborted).toBe(false);
    expect(cache.at(24)?.id).toBe('img00024');
    expect(requests.map((request) => request.offset)).toContain(20);
  });
});

describe('PageCache.abandon', () => {
  it('aborts the loads of the rows in view but not those someone awaits', async () => {
    const signals = new Map<number, AbortSignal>();
    const cache = new PageCache({
      pageSize: 10,
      source: ({ offset, signal }) =>
        new Promise<ImagesPage>((_resolve, reject) => {
          signals.set(offset, signal!);
          signal!.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    });
    const shown = cache.show(30, 35);
    void cache.loadRange(70, 71).catch(() => {});
    cache.abandon();
    await expect(shown).resolves.toBeUndefined();
    expect(signals.get(30)?.aborted).toBe(true);
    expect(signals.get(70)?.aborted).toBe(false);
  });
});
