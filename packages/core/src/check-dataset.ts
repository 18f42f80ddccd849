import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  type CheckProblem,
  type CheckProblemCode,
  type CheckReport,
  CivtagError,
  ErrorCode,
  Limits,
} from '@civtag/api-models';
import { readSidecar } from '@civtag/core-fs';
import { CIVTAG_FOLDER, captionPath, TRASH_FOLDER } from './caption-files.js';
import { captionStyle, captionText, textHash } from './caption-text.js';
import { ImageIndex } from './image-index.js';
import { captionFileName, fileStem } from './naming.js';
import { runBounded } from './run-bounded.js';
import type { DatasetState, ImageState } from './state-schema.js';

const IMAGE_EXTENSIONS = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.webp',
  '.gif',
  '.avif',
  '.tif',
  '.tiff',
  '.bmp',
]);
/** How many names a problem's message lists before "and N more". */
const NAMES_IN_MESSAGE = 5;

/** What is wrong, said of one file and of several; and what to do about it. */
type Finding = {
  severity: CheckProblem['severity'];
  what: { one: string; many: string };
  fix: string;
};

const FINDINGS: Record<CheckProblemCode, Finding> = {
  EMPTY_CAPTION: {
    severity: 'warning',
    what: { one: 'has no tags (no caption file)', many: 'have no tags (no caption file)' },
    fix: 'tag them or exclude them',
  },
  IMAGE_TOO_SMALL: {
    severity: 'warning',
    what: {
      one: `is under ${Limits.minImageSide} px on a side`,
      many: `are under ${Limits.minImageSide} px on a side`,
    },
    fix: 'exclude them or use larger versions',
  },
  DUPLICATE_STEM: {
    severity: 'error',
    what: {
      one: 'shares a file stem with another image',
      many: 'share a file stem with another image',
    },
    fix: 'rename or remove one of each pair',
  },
  CAPTION_NOT_UTF8: {
    severity: 'error',
    what: { one: 'has a caption that is not UTF-8', many: 'have a caption that is not UTF-8' },
    fix: 'run an edit on them so civtag rewrites the caption',
  },
  CAPTION_HAS_BOM: {
    severity: 'warning',
    what: {
      one: 'has a caption that starts with a byte-order mark',
      many: 'have a caption that starts with a byte-order mark',
    },
    fix: 'run an edit on them so civtag rewrites the caption',
  },
  TRIGGER_NOT_FIRST: {
    severity: 'warning',
    what: {
      one: 'does not have the trigger word as its first tag',
      many: 'do not have the trigger word as their first tag',
    },
    fix: 'move the trigger word to the front',
  },
  TOO_MANY_FOR_CIVITAI: {
    severity: 'warning',
    what: {
      one: `are more than Civitai's trainer takes (${Limits.civitaiMaxImages})`,
      many: `are more than Civitai's trainer takes (${Limits.civitaiMaxImages})`,
    },
    fix: 'exclude some images',
  },
  FILE_MISSING: {
    severity: 'error',
    what: { one: 'is missing on disk', many: 'are missing on disk' },
    fix: 'put the files back or exclude the images',
  },
  FILE_EXTRA: {
    severity: 'warning',
    what: {
      one: 'is in the dataset folder but not in the dataset',
      many: 'are in the dataset folder but not in the dataset',
    },
    fix: 'move them out of the dataset folder',
  },
  CAPTION_OUT_OF_DATE: {
    severity: 'warning',
    what: {
      one: 'has a caption file that differs from the dataset',
      many: 'have a caption file that differs from the dataset',
    },
    fix: 'reopen the dataset so civtag takes in or rewrites the caption',
  },
  // Described by `describeUnwritten`, which says why (a full or read-only disk) and what to do.
  CAPTIONS_WAITING: {
    severity: 'error',
    what: {
      one: 'is still waiting to be written',
      many: 'are still waiting to be written',
    },
    fix: 'they are tried again automatically',
  },
  JOURNAL_LINE_SET_ASIDE: {
    severity: 'warning',
    what: {
      one: 'holds a damaged journal line civtag kept aside (its edit is not in the dataset)',
      many: 'hold damaged journal lines civtag kept aside (their edits are not in the dataset)',
    },
    fix: 'look at the edit, make it again if you need it, then delete the file',
  },
};

/** The name of a damaged last journal line the session kept aside (`@civtag/session`). */
const SET_ASIDE_LINE = /^journal\.jsonl\.damaged-at-\d+$/;

/** A caption the writer could not write yet, and the error of its last try. */
export interface WaitingCaption {
  image: ImageState;
  error: unknown;
}

/**
 * Checks a dataset before training: captions, image sizes, names, the trigger word, the
 * Civitai limit and the files on disk against the state. Reads every caption file. A caption
 * that differs because it is `waiting` to be written (a full or read-only disk) is reported as
 * such, with what to free or make writable, rather than as one to reopen the dataset for.
 */
export async function checkDataset(
  dir: string,
  state: DatasetState,
  options: { waiting?: readonly WaitingCaption[] } = {},
): Promise<CheckReport> {
  const waiting = new Map(options.waiting?.map(({ image, error }) => [image, error]));
  const unwritten = new Map<
    string,
    { imageIds: string[]; files: string[]; folder: string; cause: string }
  >();
  const index = ImageIndex.for(state);
  const active = index.order.filter((image) => !image.excluded);
  const found = new Map<CheckProblemCode, { imageIds: string[]; files: string[] }>();
  const report = (code: CheckProblemCode, file: string, imageId?: string): void => {
    let entry = found.get(code);
    if (entry === undefined) {
      entry = { imageIds: [], files: [] };
      found.set(code, entry);
    }
    entry.files.push(file);
    if (imageId !== undefined) entry.imageIds.push(imageId);
  };

  const onDisk = new Set(
    (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name),
  );
  const inTrash = new Set(await readdir(path.join(dir, TRASH_FOLDER)).catch(() => [] as string[]));
  const expected = new Set<string>();
  const triggerWord = state.settings.triggerWord;
  for (const image of index.order) {
    const present = image.excluded ? inTrash.has(image.file) : onDisk.has(image.file);
    if (!present) report('FILE_MISSING', image.file, image.id);
    if (image.excluded) continue;
    expected.add(image.file);
    if (image.tags.length > 0) expected.add(captionFileName(image.file));
    if (image.tags.length === 0) report('EMPTY_CAPTION', image.file, image.id);
    if (Math.min(image.width, image.height) < Limits.minImageSide)
      report('IMAGE_TOO_SMALL', image.file, image.id);
    if (triggerWord !== undefined && image.tags.length > 0 && image.tags[0] !== triggerWord) {
      report('TRIGGER_NOT_FIRST', image.file, image.id);
    }
  }
  if (active.length > Limits.civitaiMaxImages)
    report('TOO_MANY_FOR_CIVITAI', `${active.length} images`);

  const stems = new Map<string, string[]>();
  for (const name of [...onDisk].sort()) {
    if (name.startsWith('.')) continue;
    if (!expected.has(name)) report('FILE_EXTRA', name);
    if (!IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase())) continue;
    const stem = fileStem(name).toLowerCase();
    stems.set(stem, [...(stems.get(stem) ?? []), name]);
  }
  for (const names of stems.values()) {
    if (names.length > 1)
      for (const name of names)
        report('DUPLICATE_STEM', name, index.byStem.get(fileStem(name).toLowerCase())?.id);
  }

  await runBounded(active, 16, async (image) => {
    const outOfDate = await checkCaption(dir, image, state, report);
    if (!outOfDate) return;
    if (!waiting.has(image)) {
      report('CAPTION_OUT_OF_DATE', captionFileName(image.file), image.id);
      return;
    }
    const error = waiting.get(image);
    const code = errorCode(error);
    let entry = unwritten.get(code);
    if (entry === undefined) {
      const folder = path.dirname(captionPath(dir, image));
      const cause = error instanceof Error ? error.message : String(error);
      entry = { imageIds: [], files: [], folder, cause };
      unwritten.set(code, entry);
    }
    entry.files.push(captionFileName(image.file));
    entry.imageIds.push(image.id);
  });
  const sessionFiles = await readdir(path.join(dir, CIVTAG_FOLDER)).catch(() => [] as string[]);
  for (const name of sessionFiles.sort()) {
    if (SET_ASIDE_LINE.test(name)) report('JOURNAL_LINE_SET_ASIDE', path.join(CIVTAG_FOLDER, name));
  }
  const problems: CheckProblem[] = [];
  for (const [code, entry] of found) problems.push(describe(code, entry));
  for (const [code, entry] of unwritten) problems.push(describeUnwritten(code, entry, dir));
  return {
    ok: problems.every((problem) => problem.severity !== 'error'),
    imageCount: active.length,
    problems,
  };
}

/** Reports the encoding problems of an image's caption; true when it differs from the dataset. */
async function checkCaption(
  dir: string,
  image: ImageState,
  state: DatasetState,
  report: (code: CheckProblemCode, file: string, imageId?: string) => void,
): Promise<boolean> {
  const file = captionFileName(image.file);
  const sidecar = await readSidecar(captionPath(dir, image));
  const style = captionStyle(state.settings);
  const expected = textHash(captionText(image, style));
  const actual = sidecar === null ? '' : textHash(captionText(sidecar, style));
  if (sidecar !== null) {
    if (sidecar.encoding !== 'utf-8') report('CAPTION_NOT_UTF8', file, image.id);
    if (sidecar.hadBom) report('CAPTION_HAS_BOM', file, image.id);
  }
  return actual !== expected;
}

/** The code of a failed caption write: `DISK_FULL`, `NOT_WRITABLE` or `IO_ERROR`. */
function errorCode(error: unknown): string {
  return CivtagError.isInstance(error) ? error.code : ErrorCode.IO_ERROR;
}

/**
 * Captions the writer could not write yet, by the code of their last failure: an error (the
 * files a trainer reads lag behind the dataset), with the fix for the disk, not a reopen: the
 * writer tries them again by itself.
 */
function describeUnwritten(
  code: string,
  entry: { imageIds: string[]; files: string[]; folder: string; cause: string },
  dir: string,
): CheckProblem {
  const files = [...entry.files].sort();
  const one = files.length === 1;
  const listed = files.slice(0, NAMES_IN_MESSAGE).join(', ');
  const more =
    files.length > NAMES_IN_MESSAGE ? ` and ${files.length - NAMES_IN_MESSAGE} more` : '';
  const subject = one ? `The caption ${listed}` : `${files.length} captions (${listed}${more})`;
  const waits = one ? 'is still waiting' : 'are still waiting';
  const reason =
    code === ErrorCode.DISK_FULL
      ? `the disk holding ${dir} is full (DISK_FULL). Free some space there: ${one ? 'it is' : 'they are'} written automatically once space is freed`
      : code === ErrorCode.NOT_WRITABLE
        ? `the folder ${entry.folder} cannot be written (NOT_WRITABLE: a read-only disk or no permission). Make ${entry.folder} writable: ${one ? 'it is' : 'they are'} written automatically once it is`
        : `the last try failed (${code}: ${entry.cause.replace(/\.$/, '')}). ${one ? 'It is' : 'They are'} tried again automatically`;
  return {
    code: 'CAPTIONS_WAITING',
    severity: 'error',
    message: `${subject} ${waits} to be written: ${reason}.`,
    files,
    imageIds: entry.imageIds,
  };
}

function describe(
  code: CheckProblemCode,
  entry: { imageIds: string[]; files: string[] },
): CheckProblem {
  const finding = FINDINGS[code];
  const files = [...entry.files].sort();
  const listed = files.slice(0, NAMES_IN_MESSAGE).join(', ');
  const more =
    files.length > NAMES_IN_MESSAGE ? ` and ${files.length - NAMES_IN_MESSAGE} more` : '';
  const subject =
    code === 'TOO_MANY_FOR_CIVITAI'
      ? (files[0] ?? '')
      : files.length === 1
        ? listed
        : `${files.length} files (${listed}${more})`;
  const what =
    files.length === 1 && code !== 'TOO_MANY_FOR_CIVITAI' ? finding.what.one : finding.what.many;
  const problem: CheckProblem = {
    code,
    severity: finding.severity,
    message: `${subject} ${what}: ${finding.fix}.`,
    files,
  };
  if (entry.imageIds.length > 0) problem.imageIds = entry.imageIds;
  return problem;
}
