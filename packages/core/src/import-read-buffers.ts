/** Buffers are made in steps of this size, so that files of similar sizes share them. */
const STEP = 1024 * 1024;

/**
 * Whole-file buffers that the images of one import take turns with, so that reading a ~2 MB file
 * per image does not allocate (and then garbage-collect and page in) ~2 MB per image. A buffer
 * is lent by {@link ReadBuffers.take} and must be given back only once nothing reads it.
 */
export class ReadBuffers {
  readonly #free: Buffer[] = [];
  readonly #keep: number;
  readonly #largest: number;

  /**
   * @param keep how many free buffers are kept (the images prepared at once).
   * @param largest files of this size or more get their own buffer, which is not kept.
   */
  constructor(keep: number, largest: number) {
    this.#keep = keep;
    this.#largest = largest;
  }

  /**
   * A buffer for a file of `size` bytes, with room to spare (a file that grew is still read
   * whole: `readImageFile` reads into a new buffer then); `undefined` for a file too large to keep.
   */
  take(size: number): Buffer | undefined {
    if (size >= this.#largest) return undefined;
    const fits = this.#free.findIndex((buffer) => buffer.length > size);
    if (fits !== -1) return this.#free.splice(fits, 1)[0];
    return Buffer.allocUnsafeSlow((Math.floor(size / STEP) + 1) * STEP);
  }

  /** Takes back a buffer lent by {@link take}; the smallest is let go when too many are free. */
  give(buffer: Buffer | undefined): void {
    if (buffer === undefined) return;
    this.#free.push(buffer);
    if (this.#free.length > this.#keep) {
      this.#free.sort((a, b) => b.length - a.length);
      this.#free.pop();
    }
  }
}
