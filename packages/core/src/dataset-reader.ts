import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  type CaptionOptions,
  CivtagError,
  ErrorCode,
  type ExportOptions,
  type ImageRecord,
  type ImagesPage,
  type KohyaExportOptions,
  type Settings,
} from '@civtag/api-models';
import { imageFolder } from './caption-files.js';
import { exportDataset } from './export-dataset.js';
import type { KohyaExportResult } from './export-kohya.js';
import { ImageIndex } from './image-index.js';
import { nearDuplicatesOf, queryContextOf } from './near-duplicate-view.js';
import { matchPositions, type QueryOptions, queryImages } from './query-images.js';
import type { DatasetState, ImageState } from './state-schema.js';
import { toImageRecord } from './to-change.js';

/**
 * What reading a dataset's state offers, the same for an open `Dataset` and a read-only
 * `DatasetView`: its id, settings and revision, its images, a query, tag counts, file paths and
 * the export.
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

  /** How many images the dataset holds, excluded ones included (without copying any). */
  get imageCount(): number {
    return ImageIndex.for(this.readState).order.length;
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
    const state = this.readState;
    return queryImages(ImageIndex.for(state), this.revision, options, queryContextOf(state));
  }

  /**
   * The positions, in import order, of the images matching `q`: `query({ q, cursor:
   * String(positions[n]) })` starts at the n-th match (a grid jumping to a place in a filter).
   * @throws CivtagError `VALIDATION` for a malformed query.
   */
  matchPositions(q: string): Int32Array {
    const state = this.readState;
    return matchPositions(ImageIndex.for(state), q, queryContextOf(state));
  }

  /**
   * Groups of images that look alike (resized, re-encoded or lightly cropped copies of one
   * picture): their perceptual hashes are at most `NEAR_DUPLICATE_DISTANCE` bits apart. Each
   * group lists ids in import order, groups in the order of their first image; excluded images
   * and images without a hash yet are left out (see {@link pendingPerceptualHashes}). Exact
   * copies never get this far: an import keeps one image per content.
   *
   * @example
   * for (const group of dataset.nearDuplicateGroups()) console.log(group.join(' ~ '));
   */
  nearDuplicateGroups(): string[][] {
    return nearDuplicatesOf(this.readState).groups.map((group) => [...group]);
  }

  /**
   * How many images (not excluded) have no perceptual hash yet: a dataset made before civtag
   * kept them is hashed in the background after it is opened (`Dataset.hashed()`).
   */
  get pendingPerceptualHashes(): number {
    return nearDuplicatesOf(this.readState).pending;
  }

  /**
   * How many images (not excluded) carry each tag, most used first: one entry per tag whatever
   * its forms (`foldTag`), shown in the dataset's tag style.
   */
  tagStats(): { tag: string; count: number }[] {
    return ImageIndex.for(this.readState).stats.sorted();
  }

  /**
   * {@link tagStats} over the images that match the query `q` (the filter language of
   * {@link query}): what the tag list shows beside each tag's count for the whole dataset.
   *
   * @throws CivtagError `VALIDATION` for a malformed query.
   */
  tagStatsMatching(q: string): { tag: string; count: number }[] {
    const state = this.readState;
    const index = ImageIndex.for(state);
    if (q.trim() === '') return index.stats.sorted();
    const positions = matchPositions(index, q, queryContextOf(state));
    return index
      .statsOf(Array.from(positions, (position) => index.order[position] as ImageState))
      .sorted();
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
   * Exports the images that are not excluded with their captions. `zip`: a stream of a zip
   * with image + `.txt` pairs at its root (Civitai's layout). `kohya`: a folder
   * `<outDir>/<repeats>_<trigger word or prefix>/` (repeats default: the dataset's
   * `kohyaRepeats`). Captions are written in the dataset's tag style; `captionOverrides`
   * (`escapeParentheses`, `underscoresToSpaces`, `lowercase`) change them in the export only.
   *
   * @throws CivtagError `VALIDATION` (at once, nothing written) for options that do not fit
   *   `ExportOptionsSchema`: the message names the field (`format`, `outDir`, `repeats`);
   *   `CONFLICT` when the kohya folder exists and is not empty.
   */
  export(options: { format: 'zip' }, captionOverrides?: Partial<CaptionOptions>): Readable;
  export(
    options: KohyaExportOptions,
    captionOverrides?: Partial<CaptionOptions>,
  ): Promise<KohyaExportResult>;
  export(
    options: ExportOptions,
    captionOverrides: Partial<CaptionOptions> = {},
  ): Readable | Promise<KohyaExportResult> {
    return exportDataset(this.dir, this.readState, options, captionOverrides);
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
