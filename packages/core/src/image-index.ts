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
  #files: FileLookups | undefined;
  #stats: TagStats | undefined;
  #settings: Settings;

  private constructor(state: DatasetState, order?: readonly ImageState[]) {
    this.#settings = state.settings;
    // Listing the values of an object with 100k keys took ~50 ms; a state just read from its
    // snapshot comes with its images in order already.
    for (const image of order ?? Object.values(state.images)) {
      this.byId.set(image.id, image);
      this.order.push(image);
    }
  }

  /**
   * Builds the index of a state whose images, in their order, the caller already holds (a state
   * just read from its snapshot). `order` must be exactly `Object.values(state.images)`.
   */
  static seed(state: DatasetState, order: readonly ImageState[]): void {
    if (!indexes.has(state)) indexes.set(state, new ImageIndex(state, order));
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

  /** The first image with each content hash (imports look up duplicates here). */
  get byHash(): ReadonlyMap<string, ImageState> {
    return this.#fileLookups().byHash;
  }

  /** Lower-cased file stems: two images never share one, whatever their extensions. */
  get stems(): ReadonlySet<string> {
    return this.#fileLookups().stems;
  }

  get byStem(): ReadonlyMap<string, ImageState> {
    return this.#fileLookups().byStem;
  }

  /** Tag counts over the images that are not excluded, kept up to date by the reducer. */
  get stats(): TagStats {
    this.#stats ??= TagStats.fromImages(this.order, this.#statsOptions());
    return this.#stats;
  }

  /** Tag counts over some of the images (those not excluded), counted now, in the same style. */
  statsOf(images: Iterable<ImageState>): TagStats {
    return TagStats.fromImages(images, this.#statsOptions());
  }

  /**
   * Follows new settings: images imported from now on are numbered after the highest number of
   * the new prefix, and tag counts show tags in the new style.
   */
  settingsChanged(settings: Settings): void {
    const prefixChanged = settings.prefix !== this.#settings.prefix;
    this.#settings = settings;
    this.#stats?.setOptions(this.#statsOptions());
    if (!prefixChanged || this.#files === undefined) return;
    this.#files.highestNumber = 0;
    for (const image of this.order) this.#countNumber(this.#files, image.file);
  }

  #statsOptions() {
    return { tagStyle: this.#settings.tagStyle, triggerWord: this.#settings.triggerWord };
  }

  #countNumber(files: FileLookups, file: string): void {
    const number = imageNumber(this.#settings.prefix, file, fileStem(file));
    if (number !== undefined && number > files.highestNumber) files.highestNumber = number;
  }

  /**
   * The lookups by file and content, built on first use: opening a dataset to serve it needs
   * only ids and order (at 100k images the rest took ~0.3 s of the open).
   */
  #fileLookups(): FileLookups {
    if (this.#files === undefined) {
      const files: FileLookups = {
        byHash: new Map(),
        stems: new Set(),
        byStem: new Map(),
        highestNumber: 0,
      };
      for (const image of this.order) this.#addFile(files, image);
      this.#files = files;
    }
    return this.#files;
  }

  #addFile(files: FileLookups, image: ImageState): void {
    if (!files.byHash.has(image.hash)) files.byHash.set(image.hash, image);
    const folded = fileStem(image.file).toLowerCase();
    files.stems.add(folded);
    files.byStem.set(folded, image);
    this.#countNumber(files, image.file);
  }

  /** True once {@link stats} was asked for: until then there is nothing to keep up to date. */
  get hasStats(): boolean {
    return this.#stats !== undefined;
  }

  /** The number the next imported image gets: one past the highest number in use. */
  get nextNumber(): number {
    return this.#fileLookups().highestNumber + 1;
  }

  add(image: ImageState): void {
    this.byId.set(image.id, image);
    this.order.push(image);
    if (this.#files !== undefined) this.#addFile(this.#files, image);
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

interface FileLookups {
  byHash: Map<string, ImageState>;
  stems: Set<string>;
  byStem: Map<string, ImageState>;
  highestNumber: number;
}
