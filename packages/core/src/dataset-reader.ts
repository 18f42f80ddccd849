import path from 'node:path';
import {
  CivtagError,
  ErrorCode,
  type ImageRecord,
  type ImagesPage,
  type Settings,
} from '@civtag/api-models';
import { imageFolder } from './caption-files.js';
import { ImageIndex } from './image-index.js';
import { type QueryOptions, queryImages } from './query-images.js';
import type { DatasetState, ImageState } from './state-schema.js';
import { toImageRecord } from './to-change.js';

/**
 * What reading a dataset's state offers, the same for an open `Dataset` and a read-only
 * `DatasetView`: its id, settings and revision, its images, a query, tag counts and file paths.
 */
export abstract class DatasetReader {
  /** The dataset folder. */
  readonly dir: string;

  /** @internal */
  constructor(dir: string) {
    this.dir = dir;
  }

  /** @internal the state read: the live one of an open dataset, or the one a view was read at. */
  protected abstract get readState(): DatasetState;

  /** The dataset's id, stable for its life. */
  get id(): string {
    return this.readState.id;
  }

  get settings(): Settings {
    return structuredClone(this.readState.settings);
  }

  /** The revision of the last change. */
  get revision(): number {
    return this.readState.revision;
  }

  /** Every image, excluded ones included, in import order. */
  images(): ImageRecord[] {
    return ImageIndex.for(this.readState).order.map(toImageRecord);
  }

  image(id: string): ImageRecord | undefined {
    const image = ImageIndex.for(this.readState).byId.get(id);
    return image === undefined ? undefined : toImageRecord(image);
  }

  /**
   * A page of images matching `q`, in import order; pass `nextCursor` back for the next page.
   * @throws CivtagError `VALIDATION` for a malformed query, cursor or limit.
   */
  query(options: QueryOptions = {}): ImagesPage {
    return queryImages(ImageIndex.for(this.readState), this.revision, options);
  }

  /**
   * How many images (not excluded) carry each tag, most used first: one entry per tag whatever
   * its forms (`foldTag`), shown in the dataset's tag style.
   */
  tagStats(): { tag: string; count: number }[] {
    return ImageIndex.for(this.readState).stats.sorted();
  }

  /**
   * The absolute path of an image file (in `.civtag/trash/` when excluded).
   * @throws CivtagError `NOT_FOUND` for an unknown id.
   */
  imagePath(id: string): string {
    const image = this.requireImage(id);
    return path.join(imageFolder(this.dir, image), image.file);
  }

  /**
   * @internal the image with `id`.
   * @throws CivtagError `NOT_FOUND` for an unknown id.
   */
  protected requireImage(id: string): ImageState {
    const image = ImageIndex.for(this.readState).byId.get(id);
    if (image === undefined) {
      throw new CivtagError(
        ErrorCode.NOT_FOUND,
        `There is no image with id "${id}" in the dataset ${this.dir}.`,
        { details: { imageId: id } },
      );
    }
    return image;
  }
}
