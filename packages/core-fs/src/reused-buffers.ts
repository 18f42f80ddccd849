/** Buffers are made in steps of this size, so that files of similar sizes share them. */
const STEP = 1024 * 1024;

/** The length a buffer for `size` bytes is made with: the next step above it, so with room to spare. */
export function bufferLength(size: number): number {
  return (Math.floor(size / STEP) + 1) * STEP;
}

/**
 * The free buffers of a pool, at most `keep` of them, the largest ones: what {@link ReadBuffers}
 * and `DirectWriteBuffers` lend from.
 */
export class FreeBuffers {
  readonly #free: Buffer[] = [];
  readonly #keep: number;

  constructor(keep: number) {
    this.#keep = keep;
  }

  /** A free buffer longer than `size`, taken out of the pool, or `undefined` when none is. */
  take(size: number): Buffer | undefined {
    const fits = this.#free.findIndex((buffer) => buffer.length > size);
    return fits === -1 ? undefined : this.#free.splice(fits, 1)[0];
  }

  /** Takes a buffer back; the smallest is let go when too many are free. */
  give(buffer: Buffer): void {
    this.#free.push(buffer);
    if (this.#free.length > this.#keep) {
      this.#free.sort((a, b) => b.length - a.length);
      this.#free.pop();
    }
  }

  /** Lets every free buffer go. */
  clear(): void {
    this.#free.length = 0;
  }
}

/**
 * Whole-file buffers that the images of one import take turns with, so that reading a ~2 MB file
 * per image does not allocate (and then garbage-collect and page in) ~2 MB per image: pass one
 * to `readImageFile` as its `buffer`. A buffer is lent by {@link ReadBuffers.take} and must be
 * given back only once nothing reads it.
 */
export class ReadBuffers {
  readonly #free: FreeBuffers;
  readonly #largest: number;

  /**
   * @param keep how many free buffers are kept (the images prepared at once).
   * @param largest files of this size or more get their own buffer, which is not kept.
   */
  constructor(keep: number, largest: number) {
    this.#free = new FreeBuffers(keep);
    this.#largest = largest;
  }

  /**
   * A buffer for a file of `size` bytes, with room to spare (a file that grew is still read
   * whole: `readImageFile` reads into a new buffer then); `undefined` for a file too large to keep.
   */
  take(size: number): Buffer | undefined {
    if (size >= this.#largest) return undefined;
    return this.#free.take(size) ?? Buffer.allocUnsafeSlow(bufferLength(size));
  }

  /** Takes back a buffer lent by {@link take}; the smallest is let go when too many are free. */
  give(buffer: Buffer | undefined): void {
    if (buffer !== undefined) this.#free.give(buffer);
  }
}
