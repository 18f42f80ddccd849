import { CivtagError } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import {
  findNearDuplicateGroups,
  type HashedImage,
  hammingDistance,
  NEAR_DUPLICATE_DISTANCE,
} from './near-duplicates.js';

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 2 ** 32;
  };
}

function randomHash(random: () => number): string {
  let hex = '';
  for (let digit = 0; digit < 16; digit += 1) hex += Math.floor(random() * 16).toString(16);
  return hex;
}

/** `hash` with `bits` distinct bits flipped. */
function flipBits(hash: string, bits: number, random: () => number): string {
  let value = BigInt(`0x${hash}`);
  const flipped = new Set<number>();
  while (flipped.size < bits) flipped.add(Math.floor(random() * 64));
  for (const bit of flipped) value ^= 1n << BigInt(bit);
  return value.toString(16).padStart(16, '0');
}

function bitCount(value: number): number {
  let bits = 0;
  for (let rest = value >>> 0; rest !== 0; rest &= rest - 1) bits += 1;
  return bits;
}

/** The groups by comparing every pair: what the banded search must agree with. */
function groupsByEveryPair(images: readonly HashedImage[], maxDistance: number): string[][] {
  const hashed = images.filter((image) => image.phash?.length === 16);
  const words = hashed.map((image) => [
    Number.parseInt(image.phash?.slice(0, 8) as string, 16),
    Number.parseInt(image.phash?.slice(8) as string, 16),
  ]) as [number, number][];
  const parents = hashed.map((_, index) => index);
  const find = (index: number): number =>
    parents[index] === index ? index : find(parents[index] as number);
  for (let left = 0; left < hashed.length; left += 1) {
    for (let right = left + 1; right < hashed.length; right += 1) {
      const [leftHigh, leftLow] = words[left] as [number, number];
      const [rightHigh, rightLow] = words[right] as [number, number];
      const distance = bitCount(leftHigh ^ rightHigh) + bitCount(leftLow ^ rightLow);
      if (distance > maxDistance) continue;
      const [a, b] = [find(left), find(right)].sort((x, y) => x - y) as [number, number];
      parents[b] = a;
    }
  }
  const groups = new Map<number, string[]>();
  hashed.forEach((image, index) => {
    const root = find(index);
    groups.set(root, [...(groups.get(root) ?? []), image.id]);
  });
  return [...groups.values()].filter((group) => group.length > 1);
}

describe('hammingDistance', () => {
  it('counts the bits two hashes differ in', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingDistance('00000000f0000000', '0000000000000000')).toBe(4);
  });
});

describe('findNearDuplicateGroups', () => {
  it('finds the same groups as comparing every pair, over thousands of hashes', () => {
    const random = randomSource(16);
    const images: HashedImage[] = [];
    for (let picture = 0; picture < 1500; picture += 1) {
      const hash = randomHash(random);
      images.push({ id: `p${picture}`, phash: hash });
      // Copies at every distance around the threshold, some of them alike, some not.
      const copies = Math.floor(random() * 3);
      for (let copy = 0; copy < copies; copy += 1) {
        const bits = Math.floor(random() * 16);
        images.push({ id: `p${picture}c${copy}`, phash: flipBits(hash, bits, random) });
      }
    }
    expect(images.length).toBeGreaterThan(2500);
    const groups = findNearDuplicateGroups(images);
    expect(groups.length).toBeGreaterThan(300);
    expect(groups).toEqual(groupsByEveryPair(images, NEAR_DUPLICATE_DISTANCE));
  });

  it('groups hashes exactly the threshold apart and keeps those one bit further apart', () => {
    const random = randomSource(7);
    const base = randomHash(random);
    const within = flipBits(base, NEAR_DUPLICATE_DISTANCE, random);
    const beyond = flipBits(base, NEAR_DUPLICATE_DISTANCE + 1, random);
    expect(
      findNearDuplicateGroups([
        { id: 'a', phash: base },
        { id: 'b', phash: within },
      ]),
    ).toEqual([['a', 'b']]);
    expect(
      findNearDuplicateGroups([
        { id: 'a', phash: base },
        { id: 'c', phash: beyond },
      ]),
    ).toEqual([]);
  });

  it('joins a chain of alike images into one group, in the order given', () => {
    const random = randomSource(3);
    const first = randomHash(random);
    const second = flipBits(first, 8, random);
    const third = flipBits(second, 8, random);
    const groups = findNearDuplicateGroups([
      { id: 'z', phash: third },
      { id: 'x', phash: first },
      { id: 'y', phash: second },
    ]);
    expect(groups).toEqual([['z', 'x', 'y']]);
  });

  it('leaves out images without a hash, or too plain to have one', () => {
    const hash = 'c3d1a0f0e1e2e3e4';
    const groups = findNearDuplicateGroups([
      { id: 'a', phash: hash },
      { id: 'b' },
      { id: 'c', phash: '' },
      { id: 'd', phash: hash },
    ]);
    expect(groups).toEqual([['a', 'd']]);
  });

  it('refuses a distance the search cannot answer, naming the field', () => {
    const error = (() => {
      try {
        findNearDuplicateGroups([], 20);
      } catch (caught) {
        return caught;
      }
    })();
    expect(CivtagError.hasCode(error, 'VALIDATION')).toBe(true);
    expect((error as Error).message).toMatch(/from 0 to 15, not 20/);
  });
});
