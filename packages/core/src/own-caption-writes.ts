import type { ImageState } from './state-schema.js';

/** How long an expected rename may go without its watcher event before the file is looked at. */
const DEFAULT_EXPIRY_MS = 10_000;

interface Expected {
  count: number;
  /** When the last of them was expected (`performance.now()`). */
  since: number;
}

/**
 * The caption files civtag itself renames into a dataset folder, so that the folder watcher
 * can pass over the event each rename causes instead of looking at the file (a `stat` per
 * caption after a bulk op, competing with the next op's writes for libuv's threads), and so
 * that the next write of a caption nobody else has touched since need not look up the
 * permission bits to keep (they are those civtag gave it), nor whether someone edited it:
 * `writeCaption` looks a caption up, and compares it with what civtag last saw, only when
 * {@link OwnCaptionWrites.modeFor} does not answer.
 *
 * Only an event that exactly one of civtag's renames explains is passed over: on Linux
 * (inotify) such a rename is reported once, as `rename`, under the caption's name, while an edit
 * made in another program is reported as `change` (written in place, `chmod`) or as one more
 * `rename` (saved through a temporary file, deleted) than civtag made. Those stay edits to look
 * at, even when they land right after civtag's own write of the same file. An expected event
 * that never comes (the kernel's queue overflowed) is given up after a while, and the file is
 * looked at then. Any event not passed over marks the name as touched: its permission bits are
 * looked up again on its next write. Elsewhere (other platforms coalesce events) nothing is
 * passed over and every write looks them up.
 */
export class OwnCaptionWrites {
  readonly #expected = new Map<string, Expected>();
  /** The permission bits each image's caption had when civtag last wrote it (its name is fixed). */
  #modes = new WeakMap<ImageState, number>();
  /** Names with an event that was not civtag's own since their bits were last looked up. */
  readonly #touched = new Set<string>();
  readonly #expiryMs: number;
  readonly #enabled: boolean;
  #onUnexplained: ((names: readonly string[]) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: { expiryMs?: number; enabled?: boolean } = {}) {
    this.#expiryMs = options.expiryMs ?? DEFAULT_EXPIRY_MS;
    this.#enabled = options.enabled ?? process.platform === 'linux';
  }

  /**
   * The permission bits civtag gave the caption file `name` of `image` when it last wrote it,
   * if nothing but civtag has touched that file since; otherwise `undefined` (look them up: from
   * now on, an event not civtag's own marks the file as touched again).
   */
  modeFor(image: ImageState, name: string): number | undefined {
    if (this.#onUnexplained === undefined || this.#touched.delete(name)) return undefined;
    return this.#modes.get(image);
  }

  /**
   * Call with the permission bits the caption file of `image` has, once civtag has written it
   * or looked at it (a later event not civtag's own makes them unknown again).
   */
  knowMode(image: ImageState, mode: number): void {
    if (this.#onUnexplained !== undefined) this.#modes.set(image, mode);
  }

  /**
   * Call before renaming a caption named `name` into the watched folder: the watcher event of
   * that rename is civtag's own.
   */
  expect(name: string): void {
    if (this.#onUnexplained === undefined) return;
    const expected = this.#expected.get(name);
    if (expected === undefined) this.#expected.set(name, { count: 1, since: performance.now() });
    else {
      expected.count += 1;
      expected.since = performance.now();
    }
    this.#arm();
  }

  /**
   * Call when a write announced with {@link expect} renamed nothing (it failed): the next write
   * looks the permission bits up. When an event was already taken for this write, that event
   * was someone else's: the file is looked at.
   */
  cancel(name: string): void {
    if (this.#onUnexplained === undefined) return;
    this.#touched.add(name);
    const expected = this.#expected.get(name);
    if (expected === undefined) this.#onUnexplained([name]);
    else if (expected.count > 1) expected.count -= 1;
    else this.#expected.delete(name);
  }

  /**
   * From the watcher, for each event under a caption's name: `true` when it is the event of one
   * of civtag's own renames (it is then accounted for and need not be looked at).
   */
  claim(name: string, event: string): boolean {
    if (this.#onUnexplained === undefined) return false;
    const expected = event === 'rename' ? this.#expected.get(name) : undefined;
    if (expected === undefined) {
      this.#touched.add(name);
      return false;
    }
    if (expected.count > 1) expected.count -= 1;
    else this.#expected.delete(name);
    return true;
  }

  /**
   * Starts passing over civtag's own renames for a watcher, which is told the names whose
   * expected event never came or was someone else's. Returns a function that stops it (what is
   * still expected is forgotten).
   */
  listen(onUnexplained: (names: readonly string[]) => void): () => void {
    if (!this.#enabled) return () => {};
    this.#onUnexplained = onUnexplained;
    return () => {
      if (this.#onUnexplained !== onUnexplained) return;
      this.#onUnexplained = undefined;
      this.#expected.clear();
      this.#touched.clear();
      this.#modes = new WeakMap();
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = undefined;
    };
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#expire();
    }, this.#expiryMs);
    this.#timer.unref();
  }

  #expire(): void {
    const before = performance.now() - this.#expiryMs;
    const overdue: string[] = [];
    for (const [name, expected] of this.#expected) {
      if (expected.since > before) continue;
      overdue.push(name);
      this.#expected.delete(name);
      this.#touched.add(name);
    }
    if (this.#expected.size > 0) this.#arm();
    if (overdue.length > 0) this.#onUnexplained?.(overdue);
  }
}
