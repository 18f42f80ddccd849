import type { Settings } from '@civtag/api-models';
import { TagStats } from '@civtag/tags';
import { fileStem, imageNumber } from './naming.js';
import type { DatasetState, ImageState } from './state-schema.js';

const indexes = new WeakMap<DatasetState, ImageIndex>();

/**
 * Lookups over a state's images that the state itself does not hold: by id (as a `Map`, what
 * the tag algebra takes), in import order, by content hash, by stem, and tag counts. It shares
 * the image objects of the state, so in-place changes are seen at once; additions go through
 * {@link ImageIndex.add}.
 */
export class ImageIndex {
  readonly byId = new Map<string, ImageState>();
  readonly order: ImageState[] = [];
  readonly byHash = new Map<string, ImageState>();
  /** Lower-cased file stems: two images never share one, whatever their extensions. */
  readonly stems = new Set<string>();
  readonly byStem = new Map<string, ImageState>();
  #highestNumber = 0;
  #stats: TagStats | undefined;
  #settings: Settings;

  private constructor(state: DatasetState) {
    this.#settings = state.settings;
    for (const image of Object.values(state.images)) this.add(image);
  }

  /** The index of `state`, built on first use. */
  static for(state: DatasetState): ImageIndex {
    let index = indexes.get(state);
    if (index === undefined) {
      index = new ImageIndex(state);
      indexes.set(state, index);
    }
    return index;
  }

  /** Tag counts over the images that are not excluded, kept up to date by the reducer. */
  get stats(): TagStats {
    this.#stats ??= TagStats.fromImages(this.order, this.#statsOptions());
    return this.#stats;
  }

  /**
   * Follows new settings: images imported from now on are numbered after the highest number of
   * the new prefix, and tag counts show tags in the new style.
   */
  settingsChanged(settings: Settings): void {
    const prefixChanged = settings.prefix !== this.#settings.prefix;
    this.#settings = settings;
    this.#stats?.setOptions(this.#statsOptions());
    if (!prefixChanged) return;
    this.#highestNumber = 0;
    for (const image of this.order) this.#countNumber(image.file);
  }

  #statsOptions() {
    return { tagStyle: this.#settings.tagStyle, triggerWord: this.#settings.triggerWord };
  }

  #countNumber(file: string): void {
    const number = imageNumber(this.#settings.prefix, file, fileStem(file));
    if (number !== undefined && number > this.#highestNumber) this.#highestNumber = number;
  }

  /** True once {@link stats} was asked for: until then there is nothing to keep up to date. */
  get hasStats(): boolean {
    return this.#stats !== undefined;
  }

  /** The number the next imported image gets: one past the highest number in use. */
  get nextNumber(): number {
    return this.#highestNumber + 1;
  }

  add(image: ImageState): void {
    this.byId.set(image.id, image);
    this.order.push(image);
    if (!this.byHash.has(image.hash)) this.byHash.set(image.hash, image);
    const stem = fileStem(image.file);
    const folded = stem.toLowerCase();
    this.stems.add(folded);
    this.byStem.set(folded, image);
    this.#countNumber(image.file);
    if (this.#stats !== undefined) {
      this.#stats.applyChanges([
        {
          imageId: image.id,
          before: { tags: [], excluded: true },
          after: { tags: [...image.tags], excluded: image.excluded },
        },
      ]);
    }
  }
}
