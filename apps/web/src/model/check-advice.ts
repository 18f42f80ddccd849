import {
  type CheckProblem,
  type CheckProblemCode,
  type CheckReport,
  Limits,
} from '@civtag/api-models';
import { formatCount } from './format-count.js';

/** One problem of a check, said for a user: what is wrong and what to do about it. */
export interface ProblemAdvice {
  code: CheckProblemCode;
  severity: CheckProblem['severity'];
  /** What is wrong, with its count: `3 images have no tags`. */
  what: string;
  /** What to do about it. */
  todo: string;
  /** The images it names (none for files outside the dataset or the whole-dataset limit). */
  imageIds: readonly string[];
  /** The file names it names, for a glance. */
  files: readonly string[];
}

/** The verdict of a check, said for a user. */
export interface CheckAdvice {
  /** No error: nothing would stop or spoil a training run (warnings may remain). */
  ready: boolean;
  /** One line: `Ready to train` only when `ready`. */
  headline: string;
  /** Why the Civitai zip would be refused by Civitai's trainer, when it would. */
  civitaiNote: string | null;
  /** Errors first, then warnings, each in the report's order. */
  problems: ProblemAdvice[];
}

/** The verb for a count: `1 image has`, `2 images have`. */
function verb(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

type Wording = (
  count: number,
  context: { imageCount: number; triggerWord?: string; message: string },
) => {
  what: string;
  todo: string;
};

const WORDING: Record<CheckProblemCode, Wording> = {
  EMPTY_CAPTION: (count) => ({
    what: `${formatCount(count, 'image')} ${verb(count, 'has', 'have')} no tags`,
    todo: `Tag ${verb(count, 'it', 'them')}, or exclude ${verb(count, 'it', 'them')} from training.`,
  }),
  IMAGE_TOO_SMALL: (count) => ({
    what: `${formatCount(count, 'image')} ${verb(count, 'is', 'are')} under ${Limits.minImageSide} px on a side`,
    todo: `Exclude ${verb(count, 'it', 'them')}, or use a larger version of each.`,
  }),
  DUPLICATE_STEM: (count) => ({
    what: `${formatCount(count, 'file')} ${verb(count, 'shares its', 'share their')} name with another file but for the extension`,
    todo: 'Trainers pair each image with the caption of the same name: rename or remove one of each pair.',
  }),
  CAPTION_NOT_UTF8: (count) => ({
    what: `${formatCount(count, 'caption')} ${verb(count, 'is', 'are')} not UTF-8`,
    todo: 'Edit the tags of each of these images once, so civtag rewrites the caption in UTF-8.',
  }),
  CAPTION_HAS_BOM: (count) => ({
    what: `${formatCount(count, 'caption')} ${verb(count, 'starts', 'start')} with a byte-order mark`,
    todo: 'Edit the tags of each of these images once, so civtag rewrites the caption without it.',
  }),
  TRIGGER_NOT_FIRST: (count, { triggerWord }) => ({
    what: `${formatCount(count, 'image')} ${verb(count, 'does', 'do')} not start with the trigger word${triggerWord === undefined ? '' : ` "${triggerWord}"`}`,
    todo: 'Move the trigger word to the front: it is the word that calls up the LoRA.',
  }),
  TOO_MANY_FOR_CIVITAI: (_count, { imageCount }) => ({
    what: `${formatCount(imageCount, 'image')}: Civitai's trainer takes at most ${Limits.civitaiMaxImages.toLocaleString()}`,
    todo: `For Civitai, exclude ${formatCount(imageCount - Limits.civitaiMaxImages, 'image')} first; or use the kohya export, which has no such limit.`,
  }),
  FILE_MISSING: (count) => ({
    what: `${formatCount(count, 'image')} ${verb(count, 'is', 'are')} missing on disk`,
    todo: `Put the ${verb(count, 'file', 'files')} back in the dataset folder, or exclude ${verb(count, 'the image', 'the images')}.`,
  }),
  FILE_EXTRA: (count) => ({
    what: `${formatCount(count, 'file')} in the dataset folder ${verb(count, 'is', 'are')} not part of the dataset`,
    todo: 'Exports leave them out; if you train on the dataset folder itself, move them out of it.',
  }),
  CAPTION_OUT_OF_DATE: (count) => ({
    what: `${formatCount(count, 'caption file')} ${verb(count, 'differs', 'differ')} from the dataset`,
    todo: 'Restart civtag on the dataset, so it takes the edits in or rewrites the captions.',
  }),
  CAPTIONS_WAITING: (count, { message }) => ({
    what: `${formatCount(count, 'caption file')} ${verb(count, 'is', 'are')} still waiting to be written`,
    // The server's message says why (a full or read-only disk) and what to do.
    todo: message,
  }),
  JOURNAL_LINE_SET_ASIDE: (count) => ({
    what: `${formatCount(count, 'damaged edit')} in the dataset's journal ${verb(count, 'was', 'were')} kept aside and left out of the dataset`,
    todo: 'Open the file named below to see the edit; make it again if you need it, then delete the file.',
  }),
};

/** How many things a problem is about: its images, else its files. */
function problemCount(problem: CheckProblem): number {
  return problem.imageIds?.length || problem.files?.length || 1;
}

/**
 * Says a check report for a user: whether the dataset is ready to train, and for each problem
 * what is wrong and what to do, with counts in the right noun form. "Ready to train" is said
 * only when no problem is an error.
 */
export function adviseOnCheck(report: CheckReport, triggerWord?: string): CheckAdvice {
  const ordered = [
    ...report.problems.filter((problem) => problem.severity === 'error'),
    ...report.problems.filter((problem) => problem.severity !== 'error'),
  ];
  const context = {
    imageCount: report.imageCount,
    ...(triggerWord === undefined ? {} : { triggerWord }),
  };
  const problems = ordered.map((problem): ProblemAdvice => {
    const { what, todo } = WORDING[problem.code](problemCount(problem), {
      ...context,
      message: problem.message,
    });
    return {
      code: problem.code,
      severity: problem.severity,
      what,
      todo,
      imageIds: problem.imageIds ?? [],
      files: problem.files ?? [],
    };
  });
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const ready = report.ok && errors === 0;
  const tooManyForCivitai = problems.some((problem) => problem.code === 'TOO_MANY_FOR_CIVITAI');
  const civitaiNote = tooManyForCivitai
    ? `Civitai's trainer takes at most ${formatCount(Limits.civitaiMaxImages, 'image')} and this dataset has ${report.imageCount.toLocaleString()}: exclude ${formatCount(report.imageCount - Limits.civitaiMaxImages, 'image')} first, or use the kohya export.`
    : null;
  let headline: string;
  if (!ready) {
    headline = `Not ready to train: fix the ${verb(errors, 'error', `${errors.toLocaleString()} errors`)} below first`;
  } else if (tooManyForCivitai) {
    headline = 'Ready to train with kohya; too many images for Civitai';
  } else if (warnings > 0) {
    headline = `Ready to train, with ${formatCount(warnings, 'warning')} worth a look`;
  } else {
    headline = 'Ready to train';
  }
  return { ready, headline, civitaiNote, problems };
}
