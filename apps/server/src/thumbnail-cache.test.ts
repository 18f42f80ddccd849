import { describe, expect, it } from 'vitest';
import { ThumbnailCache } from './thumbnail-cache.js';

describe('the thumbnail cache', () => {
  it('keeps the most recently used thumbnails within its byte bound', () => {
    const cache = new ThumbnailCache(30);
    cache.set('a', new Uint8Array(10));
    cache.set('b', new Uint8Array(10));
    cache.set('c', new Uint8Array(10));
    expect(cache.get('a')).toBeDefined();
    cache.set('d', new Uint8Array(10));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.size).toBe(30);
  });

  it('does not hold a thumbnail larger than the whole bound', () => {
    const cache = new ThumbnailCache(5);
    cache.set('big', new Uint8Array(6));
    expect(cache.get('big')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
