/**
 * At most `count` pieces of work at once; the others wait their turn, first come first served.
 * What lets an import keep more images in flight than it decodes at once: an image waiting for
 * its copy to reach the disk holds no slot, so another is decoded meanwhile.
 */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(count: number) {
    this.#free = count;
  }

  /** Runs `work` once a slot is free, and frees the slot when `work` settles, however. */
  async run<Result>(work: () => Promise<Result>): Promise<Result> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is free again.
      const next = this.#waiting.shift();
      if (next === undefined) this.#free += 1;
      else next();
    }
  }
}
