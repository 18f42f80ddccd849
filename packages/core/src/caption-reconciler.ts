import path from 'node:path';
import { type Change, CivtagError, ErrorCode } from '@civtag/api-models';
import { captionPath, fileStamp, findMisplacedImages, moveImageFiles } from './caption-files.js';
import { captionStyle } from './caption-text.js';
import { watchCaptions } from './caption-watcher.js';
import type { ChangePipeline } from './change-pipeline.js';
import type { DatasetEntry } from './entry-schema.js';
import { ImageIndex } from './image-index.js';
import { type EarlierCaptions, inspectCaptions } from './inspect-captions.js';
import { mergeCaptionEdit } from './merge-caption-edit.js';
import { captionFileName, fileStem } from './naming.js';
import { runBounded } from './run-bounded.js';
import type { ImageState } from './state-schema.js';

/** No caption hashes of civtag's own besides the state's and the last written. */
const NONE_EARLIER: EarlierCaptions = new Map();

/** Caption files looked at once, outside the queue, when the watcher reports them. */
const STAT_CONCURRENCY = 16;

/** Captions compared per slice of the background scan on open. */
const SCAN_SLICE = 500;
/**
 * A slice whose looks at its files held the event loop this long (100 µs a file; a local disk
 * takes a few) sends the rest of the scan through the thread pool.
 */
const SLOW_SLICE_MS = 50;

/**
 * Brings a dataset's files in line with its state, once on open, in the background: the
 * returned promise settles when it is done (never rejects; a failure is a process warning, and
 * the next open tries again). It is the first task of the pipeline's queue, so every change
 * waits behind it and none overwrites an edit made while civtag was closed; reads need not wait.
 * First misplaced image files are moved and the captions of images the replayed journal touched
 * are put right (`earlier` holds, per image, the caption hashes it had during the replay, which
 * count as civtag's own lagging writes); then every other caption is compared, against
 * `earlier` too: with a shared store it may still grow while the scan runs (see `Dataset`).
 */
export function reconcileOnOpen(pipeline: ChangePipeline, earlier: EarlierCaptions): Promise<void> {
  const index = ImageIndex.for(pipeline.state);
  const replayed = [...earlier.keys()].flatMap((id) => index.byId.get(id) ?? []);
  const first = pipeline.queue.run(async () => {
    await moveImageFiles(pipeline.dir, await findMisplacedImages(pipeline.dir, index.order));
    await takeInCaptions(pipeline, replayed, earlier);
  });
  const scan = pipeline.queue.run(async () => {
    const rest = index.order.filter((image) => !earlier.has(image.id));
    // The files are looked at on this thread, a slice at a time (a few milliseconds on a
    // local disk), unless a slice shows the disk to be slow (a network folder): then the rest
    // go through the thread pool, and the event loop is never held for long.
    let statNow = true;
    for (let from = 0; from < rest.length; from += SCAN_SLICE) {
      // Between slices the event loop is free for the work the open was for (a server
      // starting, its first requests): a scan of 100k files would otherwise crowd it out.
      await new Promise((resolve) => setImmediate(resolve));
      const slice = rest.slice(from, from + SCAN_SLICE);
      const heldMs = await takeInCaptions(pipeline, slice, earlier, statNow);
      if (heldMs > SLOW_SLICE_MS) statNow = false;
    }
  });
  return Promise.all([
    first.catch((error: unknown) =>
      warn(`civtag could not put the files of ${pipeline.dir} where its state says`, error),
    ),
    scan.catch((error: unknown) =>
      warn(`civtag could not compare the captions of ${pipeline.dir}`, error),
    ),
  ]).then(() => undefined);
}

/**
 * Picks up caption files edited while the dataset is open (within about a second), as
 * `external` ops, and those the caption writer found edited when it was about to write them
 * (an op on the image came before the watcher's quiet time was over): those at once, merged
 * with the op. `earlier` gives the caption hashes that still count as civtag's own (see
 * {@link reconcileOnOpen}): with a shared store, a server that has just taken the files over
 * may find a caption the previous writer left before its comparison has reached that file.
 * Returns the function that stops watching.
 */
export function watchForEdits(
  pipeline: ChangePipeline,
  isClosed: () => boolean,
  earlier: () => EarlierCaptions = () => NONE_EARLIER,
): () => void {
  const lookAt = (images: readonly ImageState[], deferHeld: boolean): void => {
    if (images.length === 0 || isClosed()) return;
    // First, outside the queue, the files whose stamp is not the one civtag last saw: looking
    // at them inside the queue would hold every op behind a stat of each. Only the rest is
    // looked at there.
    changedFiles(pipeline, images)
      .then(({ changed, held }) => {
        // A caption the writer holds may be written over the edit, or not at all (a newer
        // write of it is done already): it is looked at once the writer has tried it (once:
        // one whose write failed stays held until its retry).
        if (held.length > 0 && deferHeld) {
          pipeline.captions.idle().then(() => lookAt(held, false), warnNotTakenIn);
        }
        if (changed.length === 0 || isClosed()) return;
        return pipeline.queue.run(() => takeInCaptions(pipeline, changed, earlier()));
      })
      .catch(warnNotTakenIn);
  };
  const stopEdited = pipeline.captions.onEdited((images) => {
    if (isClosed()) return;
    pipeline.queue.run(() => takeInCaptions(pipeline, images, earlier())).catch(warnNotTakenIn);
  });
  // civtag's own writes are passed over by the watcher (`own`), without a look at each file.
  const stopWatching = watchCaptions(
    pipeline.dir,
    (names) => {
      const index = ImageIndex.for(pipeline.state);
      const images: ImageState[] = [];
      for (const name of names) {
        const image = index.byStem.get(fileStem(name).toLowerCase());
        if (image !== undefined && !image.excluded && captionFileName(image.file) === name) {
          images.push(image);
        }
      }
      lookAt(images, true);
    },
    { own: pipeline.captions.own },
  );
  return () => {
    stopEdited();
    stopWatching();
  };
}

/**
 * The images whose caption file's stamp is not the one civtag last saw (or wrote), and those
 * not looked at because the writer holds them.
 */
async function changedFiles(
  pipeline: ChangePipeline,
  images: readonly ImageState[],
): Promise<{ changed: ImageState[]; held: ImageState[] }> {
  const changed: ImageState[] = [];
  const held: ImageState[] = [];
  await runBounded(images, STAT_CONCURRENCY, async (image) => {
    if (pipeline.captions.isPending(image)) {
      held.push(image);
      return;
    }
    const seen = image.seen;
    if ((await fileStamp(captionPath(pipeline.dir, image))) !== seen) changed.push(image);
  });
  return { changed, held };
}

function warnNotTakenIn(error: unknown): void {
  warn('civtag could not take in edited captions', error);
}

/**
 * Rewrites the captions of `images` that lag behind the state, and turns those edited by
 * someone else into `external` set ops. When the writer knows what the file held before the
 * edit (civtag changed the image since it last wrote the file), the op's tags are those of
 * the edit merged with civtag's changes (`mergeCaptionEdit`), else the edit's own: either way
 * the edit is an op of its own, in the history and undoable, and the file is then written
 * from the state. Runs inside a task of the pipeline's queue. A caption
 * civtag is about to write (or is writing) is skipped: its file may be half way between two
 * of civtag's own versions, which is no edit, and the write itself is seen by the watcher.
 * With `statNow` the files are looked at on this thread; returns how long that held it, in ms.
 */
async function takeInCaptions(
  pipeline: ChangePipeline,
  images: readonly ImageState[],
  earlier: EarlierCaptions,
  statNow = false,
): Promise<number> {
  // Queued before this process lost the files to another (a shared store's lease): theirs now.
  if (!pipeline.writesFiles) return 0;
  const caption = captionStyle(pipeline.state.settings);
  const settled =
    pipeline.captions.pending === 0
      ? images
      : images.filter((image) => !pipeline.captions.isPending(image));
  const found = await inspectCaptions(pipeline.dir, settled, {
    caption,
    earlier,
    own: pipeline.captions.own,
    statNow,
  });
  // A caption that cannot be written now (a full or read-only disk) stays with the writer,
  // which tries it again: the edits found beside it, and the next slices, are taken in all the same.
  await pipeline.captions.write(found.rewrite).catch(() => undefined);
  for (const edit of found.edited) {
    const file = captionPath(pipeline.dir, edit.image);
    const base = pipeline.captions.fileTags(edit.image);
    const tags =
      base === undefined ? edit.tags : mergeCaptionEdit(base, edit.tags, edit.image.tags);
    const entry: DatasetEntry = {
      kind: 'op',
      op: { type: 'set', imageId: edit.image.id, tags },
      origin: 'external',
      extraLines: edit.extraLines,
    };
    const before = [...edit.image.tags];
    const announce = (change: Change): void => {
      pipeline.events.emit('external-edit', {
        imageId: edit.image.id,
        file: path.relative(pipeline.dir, file),
        revision: change.revision,
        before,
        after: [...edit.image.tags],
      });
    };
    // The file is the edit now: civtag's next write of it may replace it.
    const seen = edit.image.seen;
    edit.image.seen = edit.stamp;
    pipeline.captions.knowFileTags(edit.image, edit.tags);
    try {
      const applied = await pipeline.commit(entry, undefined, announce);
      // A merge that changed nothing in the state (the edit only took back civtag's
      // changes) still leaves the file to bring in line with it.
      if (applied.count === 0) await pipeline.captions.write([edit.image]);
    } catch (error) {
      edit.image.seen = seen;
      if (!CivtagError.hasCode(error, ErrorCode.VALIDATION)) throw error;
      // Tags civtag cannot hold (too many, too long): the file is left as it is, and
      // check() reports it as out of date.
      warn(`civtag left ${file} as it is`, error);
    }
  }
  return found.heldMs;
}

function warn(what: string, error: unknown): void {
  process.emitWarning(`${what}: ${error instanceof Error ? error.message : String(error)}`, {
    code: 'CIVTAG_RECONCILE',
  });
}
