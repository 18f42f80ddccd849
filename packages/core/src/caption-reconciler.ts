import path from 'node:path';
import { type Change, CivtagError, ErrorCode } from '@civtag/api-models';
import { captionPath, findMisplacedImages, moveImageFiles } from './caption-files.js';
import { captionStyle } from './caption-text.js';
import { watchCaptions } from './caption-watcher.js';
import type { ChangePipeline } from './change-pipeline.js';
import type { DatasetEntry } from './entry-schema.js';
import { ImageIndex } from './image-index.js';
import { inspectCaptions } from './inspect-captions.js';
import { captionFileName, fileStem } from './naming.js';
import type { ImageState } from './state-schema.js';

/** Up to this many images, every caption is compared before `openDataset` resolves. */
export const FULL_SCAN_ON_OPEN = 10_000;

/**
 * Brings a dataset's files in line with its state, once on open. Misplaced image files are
 * moved and the captions of images the replayed journal touched are put right before this
 * resolves; `earlier` holds, per image, the caption hashes it had during the replay, which
 * count as civtag's own (lagging) writes. Every other caption is compared too: before this
 * resolves for up to {@link FULL_SCAN_ON_OPEN} images, otherwise in the background, ahead of
 * any change (changes queue behind it, so none overwrites an edit made while civtag was closed).
 */
export async function reconcileOnOpen(
  pipeline: ChangePipeline,
  earlier: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<void> {
  const index = ImageIndex.for(pipeline.state);
  const replayed = [...earlier.keys()].flatMap((id) => index.byId.get(id) ?? []);
  await pipeline.queue.run(async () => {
    await moveImageFiles(pipeline.dir, await findMisplacedImages(pipeline.dir, index.order));
    await takeInCaptions(pipeline, replayed, earlier);
  });
  const rest = index.order.filter((image) => !earlier.has(image.id));
  const scan = pipeline.queue.run(() => takeInCaptions(pipeline, rest, new Map()));
  if (index.order.length <= FULL_SCAN_ON_OPEN) return scan;
  scan.catch((error: unknown) =>
    warn(`civtag could not compare the captions of ${pipeline.dir}`, error),
  );
}

/**
 * Picks up caption files edited while the dataset is open (within about a second), as
 * `external` ops. Returns the function that stops watching.
 */
export function watchForEdits(pipeline: ChangePipeline, isClosed: () => boolean): () => void {
  return watchCaptions(pipeline.dir, (names) => {
    const index = ImageIndex.for(pipeline.state);
    const images: ImageState[] = [];
    for (const name of names) {
      const image = index.byStem.get(fileStem(name).toLowerCase());
      if (image !== undefined && !image.excluded && captionFileName(image.file) === name) {
        images.push(image);
      }
    }
    if (images.length === 0 || isClosed()) return;
    pipeline.queue
      .run(() => takeInCaptions(pipeline, images, new Map()))
      .catch((error: unknown) => warn('civtag could not take in edited captions', error));
  });
}

/**
 * Rewrites the captions of `images` that lag behind the state, and turns those edited by
 * someone else into `external` set ops. Runs inside a task of the pipeline's queue. A caption
 * civtag is about to write (or is writing) is skipped: its file may be half way between two
 * of civtag's own versions, which is no edit, and the write itself is seen by the watcher.
 */
async function takeInCaptions(
  pipeline: ChangePipeline,
  images: readonly ImageState[],
  earlier: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<void> {
  const caption = captionStyle(pipeline.state.settings);
  const settled =
    pipeline.captions.pending === 0
      ? images
      : images.filter((image) => !pipeline.captions.isPending(image));
  const found = await inspectCaptions(pipeline.dir, settled, { caption, earlier });
  await pipeline.captions.write(found.rewrite);
  for (const edit of found.edited) {
    const file = captionPath(pipeline.dir, edit.image);
    const entry: DatasetEntry = {
      kind: 'op',
      op: { type: 'set', imageId: edit.image.id, tags: edit.tags },
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
    try {
      await pipeline.commit(entry, undefined, announce);
    } catch (error) {
      if (!CivtagError.hasCode(error, ErrorCode.VALIDATION)) throw error;
      // Tags civtag cannot hold (too many, too long): the file is left as it is, and
      // check() reports it as out of date.
      warn(`civtag left ${file} as it is`, error);
    }
  }
}

function warn(what: string, error: unknown): void {
  process.emitWarning(`${what}: ${error instanceof Error ? error.message : String(error)}`, {
    code: 'CIVTAG_RECONCILE',
  });
}
