import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  CivtagError,
  ErrorCode,
  type ImportDuplicate,
  type ImportFailure,
  type ImportProgress,
} from '@civtag/api-models';
import { DirectWriteBuffers, ReadBuffers, type ScannedImage, scanImages } from '@civtag/core-fs';
import { detectTagStyle } from '@civtag/tags';
import { EventHub } from './dataset-events.js';
import { newId } from './ids.js';
import { ImageIndex } from './image-index.js';
import { prepareAndPlace } from './import-batches.js';
import { type ImportContext, ImportPlacement } from './import-placement.js';
import { describeError, type PreparedImage, prepareImage } from './import-prepare.js';
import { assertRoomForImport, importStoppedForRoom, roomFailure } from './import-space.js';
import { isNoRoom } from './no-room.js';
import { ProgressRate } from './progress-rate.js';
import { runBounded } from './run-bounded.js';
import { Slots } from './slots.js';
import { readSourceSidecar } from './source-caption.js';

export type { ImportContext } from './import-placement.js';

/**
 * Images read, hashed, probed and thumbnailed at once: MEASURED.md finds 4 best on 2 cores
 * (sharp decodes each on every core).
 */
const DECODE_CONCURRENCY = 4;
/**
 * Images prepared at once: more than are decoded, so that the images whose copies are on their
 * way to the disk do not leave the cores idle (1,000 images: 0.72× → 0.77× sharp alone).
 */
const IMPORT_CONCURRENCY = 6;
/** Images prepared ahead of placement, at most: their copies wait in the dataset folder. */
const PREPARED_AHEAD = 32;
/** Images journaled together at most, with one flush; the first batch holds one, then it doubles. */
const BATCH_LIMIT = 32;
/** How long a batch waits for more prepared images once its first is ready. */
const BATCH_DELAY_MS = 100;
/** Files this large or larger are read into a buffer of their own rather than a reused one. */
const REUSED_BUFFER_LIMIT = 32 * 1024 * 1024;
/** At most this often a `progress` event, besides the first and the last. */
const PROGRESS_INTERVAL_MS = 100;

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

/**
 * Starts importing the images of `sourceDir` into the dataset: each is read once, hashed,
 * probed, thumbnailed and copied beside other images, then named in order and journaled with
 * the images prepared with it (one flush per batch): it counts as imported once that is durable.
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
  let announced = 0;
  const rate = new ProgressRate();
  // Throttled: a copy of the failure and duplicate lists per file would grow with their square.
  const announce = (force = true): void => {
    const now = Date.now();
    if (!force && now - announced < PROGRESS_INTERVAL_MS) return;
    announced = now;
    rate.stamp(progress, now);
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
    const earlier = context.state().imports.filter((job) => job.source === source);
    const already = new Set(earlier.flatMap((job) => job.done));
    // A duplicate an earlier import of this folder reported was handled then (its caption
    // merged): taking it again would bring back tags removed since.
    const handledDuplicates = new Set(
      earlier.flatMap((job) => job.duplicates.map((duplicate) => duplicate.path)),
    );
    const todo = images.filter(
      (image) => !already.has(image.relativePath) && !handledDuplicates.has(image.path),
    );
    const placedBeforeResume = new Set(interrupted?.done);
    const resumed = images.filter((image) => placedBeforeResume.has(image.relativePath));
    progress.total = images.length + scan.problems.length;
    progress.done = images.length - todo.length + scan.problems.length;
    progress.failed = failures.length;
    // Before anything is written: a disk that clearly cannot hold the images refuses at once.
    await assertRoomForImport(context.dir, todo).catch((error: unknown) => {
      // The job's status says it too, as it does when the disk fills on the way.
      if (CivtagError.isInstance(error)) failures.push(roomFailure(error));
      progress.failed = failures.length;
      throw error;
    });
    try {
      await importTodo(todo, resumed);
    } catch (error) {
      if (!isNoRoom(error) && noRoom === undefined) throw error;
      throw await stoppedForRoom(todo, noRoom ?? error);
    }
    if (noRoom !== undefined) throw await stoppedForRoom(todo, noRoom);
    const ended = cancelled ? 'cancelled' : 'done';
    await context.exclusive(() =>
      context.commit({ kind: 'import-end', jobId: id, state: ended, failures, duplicates }),
    );
    // Only now: a client that sees the job ended must find the dataset at its final revision.
    progress.state = ended;
    delete progress.current;
    announce();
    return snapshot();
  };

  /** The first failure for want of room (`DISK_FULL`, `NOT_WRITABLE`): it stops the import. */
  let noRoom: ImportFailure | undefined;
  /** Images that could not be prepared for want of room, for the failure list. */
  const roomFailures: ImportFailure[] = [];

  /**
   * The error the import stops with once its disk has no room: what the images not yet imported
   * need. The images it placed stay (journaled, captions queued), the job stays `running` in the
   * dataset, so the same import resumes under the same id, and every image not placed is tried
   * again then. The failure list names the files that could not be written and the dataset folder.
   */
  const stoppedForRoom = async (
    todo: readonly ScannedImage[],
    cause: unknown,
  ): Promise<CivtagError> => {
    const placed = new Set(context.state().imports.find((job) => job.id === id)?.done);
    const remaining = todo.filter((image) => !placed.has(image.relativePath));
    const error = await importStoppedForRoom(context.dir, remaining, cause);
    const listed = new Set(failures.map((failure) => failure.path));
    failures.push(...roomFailures.filter((failure) => !listed.has(failure.path)));
    failures.push(roomFailure(error));
    progress.failed = failures.length;
    delete progress.current;
    return error;
  };

  const importTodo = async (
    todo: readonly ScannedImage[],
    resumed: readonly ScannedImage[],
  ): Promise<void> => {
    await context.exclusive(() =>
      context.commit({ kind: 'import-start', job: { id, source, recursive, tagsFromMetadata } }),
    );
    announce();
    await pickTagStyle(context, todo);
    const placement = new ImportPlacement(context, resumed);
    let captionsWritten: Promise<unknown> = Promise.resolve();
    const buffers = new ReadBuffers(IMPORT_CONCURRENCY, REUSED_BUFFER_LIMIT);
    // The copies are flushed as they are made, so they need not pass through the page cache.
    const copyBuffers = new DirectWriteBuffers(IMPORT_CONCURRENCY, REUSED_BUFFER_LIMIT);
    const decoding = new Slots(DECODE_CONCURRENCY);
    await prepareAndPlace(todo, {
      concurrency: IMPORT_CONCURRENCY,
      window: PREPARED_AHEAD,
      batchLimit: BATCH_LIMIT,
      batchDelayMs: BATCH_DELAY_MS,
      shouldStop: () => cancelled || noRoom !== undefined,
      prepare: async (image) => {
        const prepared = await prepareImage(image, {
          dir: context.dir,
          tagsFromMetadata,
          isKnown: (hash) => ImageIndex.for(context.state()).byHash.has(hash),
          buffers,
          copyBuffers,
          decoding,
        });
        if (prepared.kind === 'failed' && isNoRoom(prepared.failure)) {
          noRoom ??= prepared.failure;
          roomFailures.push(prepared.failure);
        }
        return prepared;
      },
      place: async (batch) => {
        const placed = await placement.placeBatch(
          batch.map(({ item, result }) => ({ image: item, prepared: result })),
          id,
        );
        captionsWritten = Promise.all([captionsWritten, placed.written]);
        captionsWritten.catch(() => undefined);
        failures.push(...placed.failures);
        duplicates.push(...placed.duplicates);
        progress.current = batch.at(-1)?.item.relativePath;
        progress.done += batch.length;
        progress.failed = failures.length;
        announce(false);
      },
      discard: (prepared: PreparedImage) =>
        prepared.kind === 'ready' && prepared.copy !== undefined
          ? prepared.copy.discard()
          : Promise.resolve(),
    });
    // The captions are written behind the journal; the import is done once they are.
    await captionsWritten;
  };

  const done = run().catch((error: unknown) => {
    progress.state = 'failed';
    announce();
    throw CivtagError.isInstance(error)
      ? error
      : new CivtagError(
          ErrorCode.IO_ERROR,
          `The import of ${source} stopped: ${describeError(error)}`,
          {
            cause: error,
          },
        );
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

/** Caption files read at once to pick the tag style. */
const STYLE_READ_CONCURRENCY = 16;

/**
 * For a dataset made without a tag style, the first import that finds captions picks the style
 * from them (`detectTagStyle`), as a settings change of its own before any image is placed, so
 * every imported tag is stored in it. A caption that cannot be read is left to the import,
 * which reports it with its image.
 */
async function pickTagStyle(
  context: ImportContext,
  images: readonly ScannedImage[],
): Promise<void> {
  if (context.state().pickTagStyleOnImport !== true) return;
  const captions: string[] = [];
  await runBounded(images, STYLE_READ_CONCURRENCY, async (image) => {
    const sidecar = await readSourceSidecar(image.path).catch(() => null);
    if (sidecar !== null) captions.push(sidecar.text);
  });
  const tagStyle = detectTagStyle(captions);
  if (tagStyle === undefined) return;
  await context.exclusive(async () => {
    if (context.state().pickTagStyleOnImport !== true) return;
    await context.commit({
      kind: 'op',
      op: { type: 'settings', changes: { tagStyle } },
      origin: 'import',
    });
  });
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
