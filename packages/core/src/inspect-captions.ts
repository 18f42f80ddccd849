import { CivtagError, ErrorCode } from '@civtag/api-models';
import { readSidecar } from '@civtag/core-fs';
import { captionPath, type FileStatus, fileStatus, fileStatusNow } from './caption-files.js';
import { type CaptionStyle, captionText, textHash } from './caption-text.js';
import type { OwnCaptionWrites } from './own-caption-writes.js';
import { runBounded } from './run-bounded.js';
import type { ImageState } from './state-schema.js';

const READ_CONCURRENCY = 16;

/**
 * Per image id, hashes of caption texts civtag wrote earlier (or may have: a lagging write),
 * which a caption file may still hold without having been edited.
 */
export type EarlierCaptions = ReadonlyMap<string, { has(hash: string): boolean }>;

/** A caption file whose content someone other than civtag wrote. */
export interface EditedCaption {
  image: ImageState;
  tags: string[];
  extraLines: string[];
  /** The file's stamp when it was read (see `fileStamp`). */
  stamp: string;
}

/** What {@link inspectCaptions} found. */
export interface CaptionInspection {
  /** Captions that lag behind the state (a crash before civtag wrote them) or are missing. */
  rewrite: ImageState[];
  /** Captions edited outside civtag. */
  edited: EditedCaption[];
  /** With `statNow`, how long the looks at the files held this thread, in milliseconds. */
  heldMs: number;
}

/**
 * Compares the caption files of `images` with what the state says they hold. A file whose
 * size and modification time are as civtag last saw them is not read. A file that matches
 * the state is fine; one that matches a version civtag wrote earlier (`image.written`, or a
 * hash in `earlier`) or is missing is to be rewritten; anything else was edited outside
 * civtag. Caption files are compared as formatted text, so a BOM or other spacing alone is
 * no edit.
 *
 * @throws CivtagError `IO_ERROR` when a caption exists but cannot be read.
 */
export async function inspectCaptions(
  dir: string,
  images: readonly ImageState[],
  options: {
    caption: CaptionStyle;
    earlier?: EarlierCaptions;
    /** Told the permission bits of each caption in the dataset folder, for its next write. */
    own?: OwnCaptionWrites;
    /** Look at each file on this thread (`fileStatusNow`), not through the thread pool. */
    statNow?: boolean;
  },
): Promise<CaptionInspection> {
  const rewrite: ImageState[] = [];
  const edited: EditedCaption[] = [];
  let heldMs = 0;
  const statusNow = (file: string): FileStatus => {
    const started = performance.now();
    try {
      return fileStatusNow(file);
    } finally {
      heldMs += performance.now() - started;
    }
  };
  await runBounded(images, READ_CONCURRENCY, async (image) => {
    const file = captionPath(dir, image);
    const expected = textHash(captionText(image, options.caption));
    const { stamp, mode } = options.statNow ? statusNow(file) : await fileStatus(file);
    if (mode !== undefined && !image.excluded) options.own?.knowMode(image, mode);
    if (stamp === image.seen && image.written === expected) return;
    let sidecar: Awaited<ReturnType<typeof readSidecar>>;
    try {
      sidecar = stamp === 'none' ? null : await readSidecar(file);
    } catch (error) {
      if (!CivtagError.hasCode(error, ErrorCode.TOO_LARGE)) throw error;
      // Not a caption civtag can take in; left as it is (check() reports it out of date).
      process.emitWarning(error.message, { code: 'CIVTAG_RECONCILE' });
      return;
    }
    const actual = sidecar === null ? '' : textHash(captionText(sidecar, options.caption));
    if (actual === expected) {
      image.written = expected;
      image.seen = stamp;
      return;
    }
    if (
      sidecar === null ||
      actual === image.written ||
      options.earlier?.get(image.id)?.has(actual)
    ) {
      // A version of civtag's own: its write may replace this file (see `writeCaption`).
      image.seen = stamp;
      rewrite.push(image);
      return;
    }
    edited.push({ image, tags: [...sidecar.tags], extraLines: [...sidecar.extraLines], stamp });
  });
  return { rewrite, edited, heldMs };
}
