import path from 'node:path';
import { CivtagError, describePace, ErrorCode, type ImportProgress } from '@civtag/api-models';
import type { Dataset } from '@civtag/core';
import type { CommandContext } from './command-context.js';
import { countOf, say, warn } from './command-context.js';
import { createProgressBar } from './progress-bar.js';

/** Options of one import run from the command line. */
export interface RunImportOptions {
  recursive?: boolean;
  tagsFromMetadata?: boolean;
}

/**
 * Imports `source` into `dataset` with a progress bar on a terminal; SIGINT or SIGTERM cancels
 * it cleanly (the same command resumes it). Resolves with the final progress.
 */
export async function runImport(
  context: CommandContext,
  dataset: Dataset,
  source: string,
  options: RunImportOptions = {},
): Promise<ImportProgress> {
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  const bar = createProgressBar(context.stderr, 'Importing');
  try {
    const job = dataset.import(source, {
      recursive: options.recursive === true,
      tagsFromMetadata: options.tagsFromMetadata === true,
      signal: controller.signal,
    });
    const stop = job.on('progress', (progress) => {
      bar.update(progress.done, progress.total, importDetail(progress));
    });
    const result = await job.done.finally(stop);
    bar.finish();
    return result;
  } finally {
    bar.finish();
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}

/** What the import's progress line says after the counts: `34 files/s · 1m20s left · a.png`. */
export function importDetail(progress: ImportProgress): string | undefined {
  const parts = [
    describePace(progress, 'files'),
    progress.current === undefined ? undefined : path.basename(progress.current),
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(' · ');
}

/** Prints what an import did, for people: counts, then each failure with its reason. */
export function reportImport(
  context: CommandContext,
  progress: ImportProgress,
  datasetDir: string,
): void {
  const imported = Math.max(0, progress.done - progress.failed - progress.duplicates.length);
  say(
    context,
    `${datasetDir}: ${imported} of ${countOf(progress.total, 'image')} in the dataset, ${countOf(progress.duplicates.length, 'duplicate')}, ${progress.failed} failed.`,
  );
  if (progress.duplicates.length > 0) {
    say(
      context,
      `${countOf(progress.duplicates.length, 'duplicate')} not copied (same content as another image; a caption beside one is merged into the image kept):`,
    );
    for (const duplicate of progress.duplicates.slice(0, 20))
      say(
        context,
        `  ${duplicate.path} = ${duplicate.duplicateOf}${duplicate.tagsMergedInto === undefined ? '' : ` (caption merged into ${duplicate.tagsMergedInto.file})`}`,
      );
  }
  if (progress.failures.length > 0 && !context.json) {
    warn(context, `${countOf(progress.failures.length, 'file')} could not be imported:`);
    for (const failure of progress.failures) warn(context, `  ${failure.path}: ${failure.message}`);
  }
  if (progress.state === 'cancelled')
    warn(
      context,
      'The import was stopped; run the same command again to continue where it stopped.',
    );
}

/** The error of an import stopped before its end (Ctrl+C): `CANCELLED`, saying how to go on. */
export function importStoppedError(progress: ImportProgress, datasetDir: string): CivtagError {
  return new CivtagError(
    ErrorCode.CANCELLED,
    `The import into ${datasetDir} was stopped after ${progress.done} of ${progress.total} files; run the same command again to continue where it stopped.`,
  );
}
