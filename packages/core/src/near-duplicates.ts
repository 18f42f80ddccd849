import { CivtagError, ErrorCode } from '@civtag/api-models';

/**
 * Two images whose perceptual hashes differ in at most this many of their 64 bits look alike.
 * Chosen on the test corpus (`test/near-duplicates-corpus.test.ts`): JPEG (q70–90) and WebP
 * copies, 50–75 % resizes and 2 %-per-edge crops of its pictures stay within 8 bits of their
 * original, while everything else is 18 bits or more away; 12 would catch 4 % crops too, but
 * pairs of unrelated images within 12 bits are ~25 times as common as within 10 (see
 * docs/architecture.md).
 */
export const NEAR_DUPLICATE_DISTANCE = 10;

/** The largest distance the search supports: 4 bands searched within 3 bits each. */
const MAX_DISTANCE = 15;

/** An image as the search reads it: its id and its perceptual hash (16 hex digits, or none). */
export interface HashedImage {
  id: string;
  phash?: string | undefined;
}

/** How many bits two 16-hex-digit perceptual hashes differ in (0–64). */
export function hammingDistance(left: string, right: string): number {
  const high = Number.parseInt(left.slice(0, 8), 16) ^ Number.parseInt(right.slice(0, 8), 16);
  const low = Number.parseInt(left.slice(8, 16), 16) ^ Number.parseInt(right.slice(8, 16), 16);
  return countBits(high) + countBits(low);
}

/**
 * Groups images that look alike: two images are in one group when their perceptual hashes are
 * at most `maxDistance` bits apart, and groups are joined through shared members (A like B, B
 * like C: one group). Images without a hash (not worked out yet, or `''`: too small or plain to
 * compare) are in none. Each group lists its ids in the order given, groups in the order of
 * their first image; images alike to no other are left out.
 *
 * It does not compare every pair: each hash is split into four 16-bit bands and two hashes
 * within `maxDistance` bits agree within `⌊maxDistance / 4⌋` bits on at least one band, so only
 * images that do are compared (multi-index hashing). 100,000 images take well under a second.
 *
 * @throws CivtagError `VALIDATION` for a `maxDistance` outside 0–15.
 * @example
 * findNearDuplicateGroups([{ id: 'a', phash: 'c3d1a0f0e1e2e3e4' }, { id: 'b', phash: 'c3d1a0f0e1e2e3e5' }])
 * // [['a', 'b']]
 */
export function findNearDuplicateGroups(
  images: readonly HashedImage[],
  maxDistance = NEAR_DUPLICATE_DISTANCE,
): string[][] {
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > MAX_DISTANCE) {
    throw new CivtagError(
      ErrorCode.VALIDATION,
      `The near-duplicate distance must be a whole number of bits from 0 to ${MAX_DISTANCE}, not ${maxDistance}.`,
      { details: { field: 'maxDistance', maxDistance } },
    );
  }
  const ids: string[] = [];
  const parsed: number[] = [];
  for (const image of images) {
    if (image.phash === undefined || image.phash.length !== 16) continue;
    ids.push(image.id);
    parsed.push(
      Number.parseInt(image.phash.slice(0, 8), 16),
      Number.parseInt(image.phash.slice(8), 16),
    );
  }
  const count = ids.length;
  const words = Uint32Array.from(parsed);
  const parents = Int32Array.from({ length: count }, (_, index) => index);
  const flips = Int32Array.from(masksWithin(Math.floor(maxDistance / 4)));
  for (let band = 0; band < 4; band += 1) {
    const { starts, members } = indexBand(words, band);
    const word = band >> 1;
    const shift = band % 2 === 0 ? 16 : 0;
    for (let index = 0; index < count; index += 1) {
      const high = words[2 * index] as number;
      const low = words[2 * index + 1] as number;
      const key = ((words[2 * index + word] as number) >>> shift) & 0xffff;
      for (let flip = 0; flip < flips.length; flip += 1) {
        const probe = key ^ (flips[flip] as number);
        const end = starts[probe + 1] as number;
        for (let at = starts[probe] as number; at < end; at += 1) {
          const other = members[at] as number;
          if (other <= index) continue;
          const distance =
            countBits(high ^ (words[2 * other] as number)) +
            countBits(low ^ (words[2 * other + 1] as number));
          if (distance <= maxDistance) union(parents, index, other);
        }
      }
    }
  }
  const groups = new Map<number, string[]>();
  for (let index = 0; index < count; index += 1) {
    const root = find(parents, index);
    let group = groups.get(root);
    if (group === undefined) {
      group = [];
      groups.set(root, group);
    }
    group.push(ids[index] as string);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

/**
 * The images of each 16-bit value of one band (0–3, from the high bits) as one list sorted by
 * value, and where each value's run starts: no object per image.
 */
function indexBand(words: Uint32Array, band: number): { starts: Int32Array; members: Int32Array } {
  const count = words.length / 2;
  const word = band >> 1;
  const shift = band % 2 === 0 ? 16 : 0;
  const starts = new Int32Array(65537);
  const keys = new Int32Array(count);
  for (let index = 0; index < count; index += 1) {
    const key = ((words[2 * index + word] as number) >>> shift) & 0xffff;
    keys[index] = key;
    starts[key + 1] = (starts[key + 1] as number) + 1;
  }
  for (let key = 0; key < 65536; key += 1) {
    starts[key + 1] = (starts[key + 1] as number) + (starts[key] as number);
  }
  const next = starts.slice(0, 65536);
  const members = new Int32Array(count);
  for (let index = 0; index < count; index += 1) {
    const key = keys[index] as number;
    members[next[key] as number] = index;
    next[key] = (next[key] as number) + 1;
  }
  return { starts, members };
}

/** Every 16-bit mask with at most `bits` bits set. */
function masksWithin(bits: number): number[] {
  const masks: number[] = [];
  for (let mask = 0; mask < 65536; mask += 1) if (countBits(mask) <= bits) masks.push(mask);
  return masks;
}

function countBits(value: number): number {
  let bits = value - ((value >>> 1) & 0x55555555);
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  return (((bits + (bits >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function find(parents: Int32Array, index: number): number {
  let root = index;
  while (parents[root] !== root) root = parents[root] as number;
  let at = index;
  while (parents[at] !== root) {
    const next = parents[at] as number;
    parents[at] = root;
    at = next;
  }
  return root;
}

function union(parents: Int32Array, left: number, right: number): void {
  const leftRoot = find(parents, left);
  const rightRoot = find(parents, right);
  // The earlier image stays the root, so a group's root is its first member.
  if (leftRoot < rightRoot) parents[rightRoot] = leftRoot;
  else if (rightRoot < leftRoot) parents[leftRoot] = rightRoot;
}
