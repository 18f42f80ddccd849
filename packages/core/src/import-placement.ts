import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  CivtagError,
  ErrorCode,
  type ImportDuplicate,
  type ImportFailure,
  type ImportProgress,
  Limits,
} from '@civtag/api-models';
import {
  copyIntoDataset,
  hashFile,
  makeFolder,
  type ScannedImage,
  syncFolder,
} from '@civtag/core-fs';
import { foldTag } from '@civtag/tags';
import type { DatasetEntry, ImportAddEntry } from './entry-schema.js';
import { newId } from './ids.js';
import { ImageIndex } from './image-index.js';
import { sourceOf } from './image-source.js';
import { describeError, type PreparedImage, type ReadyImage } from './import-prepare.js';
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
  /**
   * Journals entries as one batch (one flush) and queues their captions; resolves once they are
   * durable. Only inside {@link ImportContext.exclusive}.
   */
  commitMany(entries: readonly DatasetEntry[]): Promise<{
    outcomes: Array<{ applied: true } | { applied: false; error: unknown }>;
    written: Promise<void>;
  }>;
  announce(progress: ImportProgress): void;
}

/** One source image of a batch and what its preparation gave. */
export interface PreparedSource {
  image: ScannedImage;
  prepared: PreparedImage;
}

/** What placing a batch did. */
export interface PlacedBatch {
  /** Images that were duplicates of one kept, in source order. */
  duplicates: ImportDuplicate[];
  /** Images that could not be placed, in source order. */
  failures: ImportFailure[];
  /** Resolves once the captions of the placed images are written. */
  written: Promise<void>;
}

/**
 * Claims names for prepared images in source order, so that numbering stays contiguous, and
 * journals them a batch at a time: every copy of the batch is named, the folder flushed once,
 * and the batch journaled with one flush, so an image counts as imported once its batch is
 * durable. A duplicate by content is not copied: its caption's tags are merged into the image
 * kept.
 */
export class ImportPlacement {
  readonly #context: ImportContext;
  readonly #firstSeen = new Map<string, string>();
  /** Stems this placement named, journaled or about to be. */
  readonly #claimed = new Set<string>();
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

  /**
   * Places `batch` (in order) while no other change is made to the dataset: each image is named
   * and journaled, or reported as a duplicate or a failure. The copies an image's preparation
   * staged are named or removed.
   */
  placeBatch(batch: readonly PreparedSource[], jobId: string): Promise<PlacedBatch> {
    return this.#context.exclusive(async () => {
      const duplicates: ImportDuplicate[] = [];
      const failures: ImportFailure[] = [];
      const written: Promise<void>[] = [];
      let entries: { entry: ImportAddEntry; image: ScannedImage; file: string }[] = [];
      /** Hashes of the images in `entries`, which the state does not hold yet. */
      const waiting = new Set<string>();
      const journal = async (): Promise<void> => {
        if (entries.length === 0) return;
        // The names first, then the journal that points at them.
        await syncFolder(this.#context.dir);
        const committed = await this.#context.commitMany(entries.map(({ entry }) => entry));
        written.push(committed.written);
        for (const [position, outcome] of committed.outcomes.entries()) {
          const placed = entries[position];
          if (placed === undefined || outcome.applied) continue;
          // Only a clash of random ids can be refused; the copy is left for a person to see.
          failures.push({
            path: placed.image.path,
            code: ErrorCode.CONFLICT,
            message: `${placed.image.path} was copied to ${placed.file} but not recorded: ${describeError(outcome.error)}`,
          });
        }
        entries = [];
        waiting.clear();
      };
      try {
        for (const { image, prepared } of batch) {
          if (prepared.kind === 'failed') {
            failures.push(prepared.failure);
            continue;
          }
          if (waiting.has(prepared.hash)) await journal();
          const index = ImageIndex.for(this.#context.state());
          const known = index.byHash.get(prepared.hash);
          if (known !== undefined) {
            await prepared.copy?.discard();
            await journal();
            duplicates.push(await this.#duplicate(image, prepared, known));
            continue;
          }
          const file = await this.#claim(index, image, prepared);
          entries.push({ entry: this.#entry(image, prepared, file, jobId), image, file });
          waiting.add(prepared.hash);
          this.#firstSeen.set(prepared.hash, image.path);
        }
        await journal();
      } finally {
        // A copy the batch did not get to (it stopped on an error) goes; a named one stays.
        await Promise.all(
          batch.map(({ prepared }) =>
            prepared.kind === 'ready' ? prepared.copy?.discard() : undefined,
          ),
        );
      }
      return { duplicates, failures, written: Promise.all(written).then(() => undefined) };
    });
  }

  /** The journal entry of an image placed as `file`, in the settings of now. */
  #entry(image: ScannedImage, prepared: ReadyImage, file: string, jobId: string): ImportAddEntry {
    const { settings } = this.#context.state();
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
      source: sourceOf(image.relativePath),
      ...(prepared.phash === undefined ? {} : { phash: prepared.phash }),
    };
    return { kind: 'import-add', jobId, source: image.relativePath, record };
  }

  /** The duplicate `image` is of `known`, with its caption merged into it. */
  async #duplicate(
    image: ScannedImage,
    prepared: ReadyImage,
    known: ImageState,
  ): Promise<ImportDuplicate> {
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

  /**
   * Adds the tags of a duplicate's caption file that the kept image lacks (after its own, in
   * the caption's order) as an undoable op, so that no caption is lost. The trigger word is
   * the dataset's, not the caption's: it is not added back where someone removed it. Returns
   * whether the duplicate had tags to give, even when the image had them all already.
   */
  async #mergeCaption(known: ImageState, caption: ReadyImage['caption']): Promise<boolean> {
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
   * The next free name, with the image's copy named so. A file at that name that civtag copied
   * before a crash (same content, not yet journalled) is adopted; any other file there is left
   * alone and the number skipped. Names claimed for the batch not yet journaled are skipped too.
   */
  async #claim(index: ImageIndex, image: ScannedImage, prepared: ReadyImage): Promise<string> {
    const prefix = this.#context.state().settings.prefix;
    const extension = normalizeExtension(path.extname(image.path));
    const onDisk = await this.#listDisk();
    for (let number = index.nextNumber; ; number += 1) {
      const file = imageFileName(prefix, number, extension);
      const stem = fileStem(file).toLowerCase();
      if (index.stems.has(stem) || this.#claimed.has(stem)) continue;
      const present = onDisk.get(stem);
      if (present !== undefined) {
        if (
          present.length === 1 &&
          present[0] === file &&
          (await hashFile(path.join(this.#context.dir, file))) === prepared.hash
        ) {
          await prepared.copy?.discard();
          this.#claimed.add(stem);
          return file;
        }
        continue;
      }
      const destination = path.join(this.#context.dir, file);
      try {
        // No copy was staged when the image's content was in the dataset as it was prepared
        // (and has left it since): copy it from its source now.
        if (prepared.copy === undefined) await copyIntoDataset(image.path, destination);
        else await prepared.copy.claim(destination);
      } catch (error) {
        if (CivtagError.hasCode(error, ErrorCode.CONFLICT)) {
          onDisk.set(stem, [file]);
          continue;
        }
        throw error;
      }
      this.#claimed.add(stem);
      return file;
    }
  }

  async #listDisk(): Promise<Map<string, string[]>> {
    if (this.#diskNames === undefined) {
      const names = new Map<string, string[]>();
      await makeFolder(this.#context.dir);
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
