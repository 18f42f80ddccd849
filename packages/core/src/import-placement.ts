import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  CivtagError,
  ErrorCode,
  type ImportDuplicate,
  type ImportProgress,
  Limits,
} from '@civtag/api-models';
import { copyIntoDataset, hashFile, type ScannedImage } from '@civtag/core-fs';
import { foldTag } from '@civtag/tags';
import type { DatasetEntry } from './entry-schema.js';
import { newId } from './ids.js';
import { ImageIndex } from './image-index.js';
import type { PreparedImage } from './import-prepare.js';
import { fileStem, imageFileName, normalizeExtension } from './naming.js';
import { cleanTags } from './source-caption.js';
import type { DatasetState, ImageState } from './state-schema.js';

/** What an import needs from its dataset. */
export interface ImportContext {
  readonly dir: string;
  state(): DatasetState;
  /** Runs `task` while no other change is made to the dataset. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Journals an entry and writes its captions; only inside {@link ImportContext.exclusive}. */
  commit(entry: DatasetEntry): Promise<void>;
  announce(progress: ImportProgress): void;
}

/**
 * Claims names and copies images, one at a time, so that numbering stays contiguous. A
 * duplicate by content is not copied: its caption's tags are merged into the image kept.
 */
export class ImportPlacement {
  readonly #context: ImportContext;
  readonly #firstSeen = new Map<string, string>();
  /** Source images this job placed before it was interrupted, not yet matched to a hash. */
  readonly #placedBeforeResume: Set<ScannedImage>;
  #diskNames: Map<string, string[]> | undefined;

  /**
   * @param placedBeforeResume the source images a resumed job placed before it stopped, so that
   *   a duplicate of one is reported against its source path, as it would have been without
   *   the interruption.
   */
  constructor(context: ImportContext, placedBeforeResume: readonly ScannedImage[] = []) {
    this.#context = context;
    this.#placedBeforeResume = new Set(placedBeforeResume);
  }

  /** Copies and journals one image; returns the duplicate it is instead, if it is one. */
  place(
    image: ScannedImage,
    prepared: Extract<PreparedImage, { kind: 'ready' }>,
    jobId: string,
  ): Promise<ImportDuplicate | undefined> {
    return this.#context.exclusive(async () => {
      const index = ImageIndex.for(this.#context.state());
      const known = index.byHash.get(prepared.hash);
      if (known !== undefined) {
        const duplicate: ImportDuplicate = {
          path: image.path,
          duplicateOf:
            this.#firstSeen.get(prepared.hash) ??
            (await this.#sourceBeforeResume(known)) ??
            path.join(this.#context.dir, known.file),
        };
        if (await this.#mergeCaption(known, prepared.caption)) {
          duplicate.tagsMergedInto = { imageId: known.id, file: known.file };
        }
        return duplicate;
      }
      const { settings } = this.#context.state();
      const file = await this.#claim(index, image, prepared.hash);
      const record = {
        id: newId(),
        file,
        hash: prepared.hash,
        size: prepared.size,
        width: prepared.width,
        height: prepared.height,
        format: prepared.format,
        // The settings now, not when the image was prepared: the trigger word or the tag style
        // may have changed since (a settings op from a client during the import).
        tags: cleanTags(prepared.caption.tags, settings.triggerWord, settings.tagStyle),
        ...(prepared.caption.extraLines === undefined
          ? {}
          : { extraLines: prepared.caption.extraLines }),
      };
      await this.#context.commit({ kind: 'import-add', jobId, source: image.relativePath, record });
      this.#firstSeen.set(prepared.hash, image.path);
      return undefined;
    });
  }

  /**
   * Adds the tags of a duplicate's caption file that the kept image lacks (after its own, in
   * the caption's order) as an undoable op, so that no caption is lost. The trigger word is
   * the dataset's, not the caption's: it is not added back where someone removed it. Returns
   * whether the duplicate had tags to give, even when the image had them all already.
   */
  async #mergeCaption(
    known: ImageState,
    caption: Extract<PreparedImage, { kind: 'ready' }>['caption'],
  ): Promise<boolean> {
    if (caption.from !== 'sidecar') return false;
    const { triggerWord } = this.#context.state().settings;
    const triggerFold = triggerWord === undefined ? undefined : foldTag(triggerWord);
    const tags = caption.tags.filter((tag) => foldTag(tag) !== triggerFold);
    if (tags.length === 0) return false;
    const room = Math.max(0, Limits.tagsPerImage - known.tags.length);
    // One tag, one form: a tag the image holds in another form is not missing.
    const held = new Set(known.tags.map(foldTag));
    const missing = tags.filter((tag) => !held.has(foldTag(tag))).slice(0, room);
    if (missing.length > 0) {
      await this.#context.commit({
        kind: 'op',
        op: { type: 'add', target: { ids: [known.id] }, tags: missing },
        origin: 'op',
      });
    }
    return true;
  }

  /**
   * The source path of `known` when this job placed it before an interruption: found among
   * those sources by size, then by content hash (only for the few of the same size).
   */
  async #sourceBeforeResume(known: ImageState): Promise<string | undefined> {
    for (const candidate of this.#placedBeforeResume) {
      if (candidate.size !== known.size) continue;
      this.#placedBeforeResume.delete(candidate);
      // A source that cannot be read now only goes unnamed: the dataset file is reported.
      const hash = await hashFile(candidate.path).catch(() => undefined);
      if (hash === undefined) continue;
      if (!this.#firstSeen.has(hash)) this.#firstSeen.set(hash, candidate.path);
      if (hash === known.hash) return candidate.path;
    }
    return undefined;
  }

  /**
   * The next free name, with the image copied there. A file at that name that civtag copied
   * before a crash (same content, not yet journalled) is adopted; any other file there is
   * left alone and the number skipped.
   */
  async #claim(index: ImageIndex, image: ScannedImage, hash: string): Promise<string> {
    const prefix = this.#context.state().settings.prefix;
    const extension = normalizeExtension(path.extname(image.path));
    const onDisk = await this.#listDisk();
    for (let number = index.nextNumber; ; number += 1) {
      const file = imageFileName(prefix, number, extension);
      const stem = fileStem(file).toLowerCase();
      if (index.stems.has(stem)) continue;
      const present = onDisk.get(stem);
      if (present !== undefined) {
        if (
          present.length === 1 &&
          present[0] === file &&
          (await hashFile(path.join(this.#context.dir, file))) === hash
        ) {
          return file;
        }
        continue;
      }
      try {
        await copyIntoDataset(image.path, path.join(this.#context.dir, file));
      } catch (error) {
        if (CivtagError.hasCode(error, ErrorCode.CONFLICT)) {
          onDisk.set(stem, [file]);
          continue;
        }
        throw error;
      }
      onDisk.set(stem, [file]);
      return file;
    }
  }

  async #listDisk(): Promise<Map<string, string[]>> {
    if (this.#diskNames === undefined) {
      const names = new Map<string, string[]>();
      await mkdir(this.#context.dir, { recursive: true });
      for (const name of await readdir(this.#context.dir)) {
        if (name.startsWith('.')) continue;
        const stem = fileStem(name).toLowerCase();
        names.set(stem, [...(names.get(stem) ?? []), name]);
      }
      this.#diskNames = names;
    }
    return this.#diskNames;
  }
}
