import type { TaggableImage } from '@civtag/tags';

/**
 * A read-only view of `base` in which some images are replaced, so that several ops can be
 * applied one after another (undo, redo) without touching the state until they all succeed.
 */
export class OverlayMap implements ReadonlyMap<string, TaggableImage> {
  readonly #base: ReadonlyMap<string, TaggableImage>;
  readonly #overrides = new Map<string, TaggableImage>();

  constructor(base: ReadonlyMap<string, TaggableImage>) {
    this.#base = base;
  }

  /** Replaces an image of the view; the base map is not touched. */
  override(image: TaggableImage): void {
    this.#overrides.set(image.id, image);
  }

  get size(): number {
    return this.#base.size;
  }

  get(key: string): TaggableImage | undefined {
    return this.#overrides.get(key) ?? this.#base.get(key);
  }

  has(key: string): boolean {
    return this.#base.has(key);
  }

  *entries(): MapIterator<[string, TaggableImage]> {
    for (const [key, value] of this.#base) yield [key, this.#overrides.get(key) ?? value];
  }

  *keys(): MapIterator<string> {
    yield* this.#base.keys();
  }

  *values(): MapIterator<TaggableImage> {
    for (const [key, value] of this.#base) yield this.#overrides.get(key) ?? value;
  }

  forEach(
    callback: (value: TaggableImage, key: string, map: ReadonlyMap<string, TaggableImage>) => void,
  ): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }

  [Symbol.iterator](): MapIterator<[string, TaggableImage]> {
    return this.entries();
  }
}
