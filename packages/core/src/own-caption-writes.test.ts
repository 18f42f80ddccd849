import { describe, expect, it, vi } from 'vitest';
import { OwnCaptionWrites } from './own-caption-writes.js';
import type { ImageState } from './state-schema.js';

const image = { id: 'image-1', file: 'image_1.png' } as ImageState;

function listening(options: { expiryMs?: number } = {}) {
  const own = new OwnCaptionWrites({ enabled: true, ...options });
  const unexplained: string[] = [];
  const stop = own.listen((names) => unexplained.push(...names));
  return { own, unexplained, stop };
}

describe('civtag own caption writes', () => {
  it('passes over exactly one rename event per rename civtag made', () => {
    const { own } = listening();
    own.expect('image_1.txt');
    own.expect('image_1.txt');
    expect(own.claim('image_1.txt', 'rename')).toBe(true);
    expect(own.claim('image_1.txt', 'rename')).toBe(true);
    // A third one (someone saving the file through a temporary one) is not civtag's.
    expect(own.claim('image_1.txt', 'rename')).toBe(false);
  });

  it('never takes a change event (written in place, chmod) for its own', () => {
    const { own } = listening();
    own.expect('image_1.txt');
    expect(own.claim('image_1.txt', 'change')).toBe(false);
    expect(own.claim('image_2.txt', 'rename')).toBe(false);
    expect(own.claim('image_1.txt', 'rename')).toBe(true);
  });

  it('reports a write that failed after an event was taken for it, as someone else’s', () => {
    const { own, unexplained } = listening();
    own.expect('image_1.txt');
    expect(own.claim('image_1.txt', 'rename')).toBe(true);
    own.cancel('image_1.txt');
    expect(unexplained).toEqual(['image_1.txt']);
  });

  it('takes no later event for a write that failed before its rename', () => {
    const { own, unexplained } = listening();
    own.expect('image_1.txt');
    own.cancel('image_1.txt');
    expect(own.claim('image_1.txt', 'rename')).toBe(false);
    expect(unexplained).toEqual([]);
  });

  it('reports a rename whose event never came, and takes no later event for it', () => {
    vi.useFakeTimers();
    try {
      const { own, unexplained } = listening({ expiryMs: 1000 });
      own.expect('image_1.txt');
      vi.advanceTimersByTime(2500);
      expect(unexplained).toEqual(['image_1.txt']);
      expect(own.claim('image_1.txt', 'rename')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('knows the permission bits it gave a file until someone else touches it', () => {
    const { own } = listening();
    expect(own.modeFor(image, 'image_1.txt')).toBeUndefined();
    own.knowMode(image, 0o640);
    expect(own.modeFor(image, 'image_1.txt')).toBe(0o640);
    own.expect('image_1.txt');
    expect(own.claim('image_1.txt', 'rename')).toBe(true);
    expect(own.modeFor(image, 'image_1.txt')).toBe(0o640);
    // A chmod in another program.
    expect(own.claim('image_1.txt', 'change')).toBe(false);
    expect(own.modeFor(image, 'image_1.txt')).toBeUndefined();
  });

  it('looks the permission bits up again after a write that failed', () => {
    const { own } = listening();
    own.knowMode(image, 0o640);
    own.expect('image_1.txt');
    own.cancel('image_1.txt');
    expect(own.modeFor(image, 'image_1.txt')).toBeUndefined();
  });

  it('passes nothing over and knows no permission bits when not listening or not enabled', () => {
    const { own, stop } = listening();
    own.knowMode(image, 0o640);
    stop();
    own.expect('image_1.txt');
    expect(own.claim('image_1.txt', 'rename')).toBe(false);
    expect(own.modeFor(image, 'image_1.txt')).toBeUndefined();
    const elsewhere = new OwnCaptionWrites({ enabled: false });
    elsewhere.listen(() => {});
    elsewhere.expect('image_1.txt');
    elsewhere.knowMode(image, 0o640);
    expect(elsewhere.claim('image_1.txt', 'rename')).toBe(false);
    expect(elsewhere.modeFor(image, 'image_1.txt')).toBeUndefined();
  });
});
