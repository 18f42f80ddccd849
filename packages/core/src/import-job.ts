import { access, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  CivtagError,
  ErrorCode,
  type ImportDuplicate,
  type ImportFailure,
  type ImportProgress,
} from '@civtag/api-models';
import type { ScannedImage } from '@civtag/core-fs';
import {
  copyIntoDataset,
  hashFile,
  makeThumbnail,
  probeImage,
  scanImages,
  writeFileAtomic,
} from '@civtag/core-fs';
import { EventHub } from './dataset-events.js';
import type { DatasetEntry } from './entry-schema.js';
import { newId } from './ids.js';
import { ImageIndex } from './image-index.js';
import { fileStem, imageFileName, normalizeExtension } from './naming.js';
import { mapInOrder } from './run-bounded.js';
import { readSourceCaption, type SourceCaption } from './source-caption.js';
import type { DatasetState } from './state-schema.js';
import { thumbnailPath } from './thumbnail.js';

/** Images prepared at once (hash, probe, thumbnail): MEASURED.md finds 4 best on 2 cores. */
const IMPORT_CONCURRENCY = 4;

/** Options of `dataset.import()`. */
export interface ImportJobOptions {
  /** Also import images in subfolders. Default `false`. */
  recursive?: boolean;
  /** Caption an image without a caption file from the prompt in its metadata. Default `false`. */
  tagsFromMetadata?: boolean;
  /** Cancels the import, like {@link ImportJob.cancel}. */
  signal?: AbortSignal;
}

/** A running import. */
export interface ImportJob {
  readonly id: string;
  /** Where the import is now. */
  progress(): ImportProgress;
  /** Resolves with the final progress (state `done` or `cancelled`); rejects when the import fails as a whole. */
  readonly done: Promise<ImportProgress>;
  on(event: 'progress', listener: (progress: ImportProgress) => void): () => void;
  /** Stops taking new files; files in flight finish. Resolves `done` with state `cancelled`. */
  cancel(): void;
}

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

type Prepared =
  | {
      kind: 'ready';
      hash: string;
      size: number;
      width: number;
      height: number;
      format: ScannedImage['format'];
      caption: SourceCaption;
    }
  | { kind: 'failed'; failure: ImportFailure };

/**
 * Starts importing the images of `sourceDir` into the dataset: each is hashed, probed,
 * thumbnailed, copied under the next free name and journalled once its copy is complete.
 * A second import of the same folder takes up where an interrupted one stopped. The source
 * folder is only read.
 */
export function startImport(
  context: ImportContext,
  sourceDir: string,
  options: ImportJobOptions = {},
): ImportJob {
  const source = path.resolve(sourceDir);
  const state = context.state();
  const recursive = options.recursive ?? false;
  const tagsFromMetadata = options.tagsFromMetadata ?? false;
  const interrupted = state.imports.findLast(
    (job) => job.source === source && job.state === 'running',
  );
  const id = interrupted?.id ?? newId();
  const events = new EventHub<{ progress: ImportProgress }>();
  const failures: ImportFailure[] = [];
  const duplicates: ImportDuplicate[] = [];
  const progress: ImportProgress = {
    jobId: id,
    state: 'running',
    done: 0,
    total: 0,
    failed: 0,
    failures,
    duplicates,
  };
  let cancelled = false;
  const snapshot = (): ImportProgress => ({
    ...progress,
    failures: [...failures],
    duplicates: [...duplicates],
  });
  const announce = (): void => {
    const value = snapshot();
    events.emit('progress', value);
    context.announce(value);
  };
  const cancel = (): void => {
    cancelled = true;
  };
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener('abort', cancel, { once: true });

  const run = async (): Promise<ImportProgress> => {
    await assertImportableSource(source, context.dir);
    const scan = await scanImages(source, { recursive });
    // scanImages lists in a stable (natural) order: the order names are given in.
    const images = scan.images.filter((image) => !isInside(context.dir, image.path));
    for (const problem of scan.problems)
      failures.push({ path: problem.path, code: problem.code, message: problem.message });
    const already = new Set(
      context
        .state()
        .imports.filter((job) => job.source === source)
        .flatMap((job) => job.done),
    );
    const todo = images.filter((image) => !already.has(image.relativePath));
    progress.total = images.length + scan.problems.length;
    progress.done = images.length - todo.length + scan.problems.length;
    progress.failed = failures.length;
    await context.exclusive(() =>
      context.commit({ kind: 'import-start', job: { id, source, recursive, tagsFromMetadata } }),
    );
    announce();
    const placement = new Placement(context);
    await mapInOrder(todo, {
      limit: IMPORT_CONCURRENCY,
      shouldStop: () => cancelled,
      worker: (image) => prepare(context, image, tagsFromMetadata),
      consume: async (prepared, image) => {
        progress.current = image.relativePath;
        if (prepared.kind === 'failed') failures.push(prepared.failure);
        else {
          const duplicate = await placement.place(image, prepared, id);
          if (duplicate !== undefined) duplicates.push(duplicate);
        }
        progress.done += 1;
        progress.failed = failures.length;
        announce();
      },
    });
    progress.state = cancelled ? 'cancelled' : 'done';
    delete progress.current;
    await context.exclusive(() =>
      context.commit({
        kind: 'import-end',
        jobId: id,
        state: progress.state === 'cancelled' ? 'cancelled' : 'done',
        failures,
        duplicates,
      }),
    );
    announce();
    return snapshot();
  };

  const done = run().catch((error: unknown) => {
    progress.state = 'failed';
    announce();
    throw CivtagError.isInstance(error)
      ? error
      : new CivtagError(ErrorCode.IO_ERROR, `The import of ${source} stopped: ${describe(error)}`, {
          cause: error,
        });
  });
  // Whoever does not await `done` still sees the failure in progress(); no unhandled rejection.
  done.catch(() => undefined);
  return {
    id,
    progress: snapshot,
    done,
    on: (event, listener) => events.on(event, listener),
    cancel,
  };
}

async function prepare(
  context: ImportContext,
  image: ScannedImage,
  tagsFromMetadata: boolean,
): Promise<Prepared> {
  try {
    const hash = await hashFile(image.path);
    const probe = await probeImage(image.path);
    const thumbnail = thumbnailPath(context.dir, hash);
    if (!(await exists(thumbnail))) {
      await writeFileAtomic(thumbnail, await makeThumbnail(image.path), { fsync: false });
    }
    const triggerWord = context.state().settings.triggerWord;
    const caption = await readSourceCaption(image.path, { tagsFromMetadata, triggerWord });
    return {
      kind: 'ready',
      hash,
      size: image.size,
      width: probe.width,
      height: probe.height,
      format: probe.format,
      caption,
    };
  } catch (error) {
    const code = CivtagError.isInstance(error) ? error.code : ErrorCode.IO_ERROR;
    return { kind: 'failed', failure: { path: image.path, code, message: describe(error) } };
  }
}

/** Claims names and copies images, one at a time, so that numbering stays contiguous. */
class Placement {
  readonly #context: ImportContext;
  readonly #firstSeen = new Map<string, string>();
  #diskNames: Map<string, string[]> | undefined;

  constructor(context: ImportContext) {
    this.#context = context;
  }

  /** Copies and journals one image; returns the duplicate it is instead, if it is one. */
  place(
    image: ScannedImage,
    prepared: Extract<Prepared, { kind: 'ready' }>,
    jobId: string,
  ): Promise<ImportDuplicate | undefined> {
    return this.#context.exclusive(async () => {
      const index = ImageIndex.for(this.#context.state());
      const known = index.byHash.get(prepared.hash);
      if (known !== undefined) {
        return {
          path: image.path,
          duplicateOf:
            this.#firstSeen.get(prepared.hash) ?? path.join(this.#context.dir, known.file),
        };
      }
      const file = await this.#claim(index, image, prepared.hash);
      const record = {
        id: newId(),
        file,
        hash: prepared.hash,
        size: prepared.size,
        width: prepared.width,
        height: prepared.height,
        format: prepared.format,
        tags: prepared.caption.tags,
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

async function assertImportableSource(source: string, datasetDir: string): Promise<void> {
  let stats: Awaited<ReturnType<typeof stat>>;
  try {
    stats = await stat(source);
  } catch (error) {
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `The import source ${source} does not exist or cannot be read.`,
      {
        cause: error,
        details: { path: source },
      },
    );
  }
  if (!stats.isDirectory()) {
    throw new CivtagError(ErrorCode.VALIDATION, `The import source ${source} is not a folder.`, {
      details: { path: source },
    });
  }
  if (isInside(datasetDir, source)) {
    throw new CivtagError(
      ErrorCode.VALIDATION,
      `The import source ${source} lies inside the dataset ${datasetDir}; import from a folder outside it.`,
      {
        details: { path: source },
      },
    );
  }
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
