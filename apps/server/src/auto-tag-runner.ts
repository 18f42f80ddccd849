import type { AutoTagProgress, AutoTagRequest } from '@civtag/api-models';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import type { AutoTagJob, AutoTagOptions, Dataset, ImageTagger } from '@civtag/core';

/** How the server runs auto-tag jobs: one at a time, with the tagger it was started with. */
export interface AutoTagRunner {
  /** Whether the server has a tagger (`civtag serve --model DIR`). */
  readonly hasTagger: boolean;
  /**
   * Starts a job over the request's target and answers its first progress.
   *
   * @throws CivtagError `NOT_FOUND` when the server has no tagger (or an image id is unknown),
   *   `CONFLICT` while another job runs, `VALIDATION` for a bad mode, `SHUTTING_DOWN`.
   */
  start(request: AutoTagRequest): AutoTagProgress;
  /**
   * Cancels the running job `jobId`; answers its progress (the job stops after the batch in
   * inference, keeping what was journaled).
   *
   * @throws CivtagError `NOT_FOUND` when no job with that id runs.
   */
  cancel(jobId: string): AutoTagProgress;
  /** The running job's progress, else the last job's; undefined before the first job. */
  progress(): AutoTagProgress | undefined;
  /** Every change of a job's progress (the socket's `tagging` frame). Returns the unsubscribe. */
  on(listener: (progress: AutoTagProgress) => void): () => void;
  /**
   * Refuses new jobs, cancels the running one and resolves once it has stopped, or after
   * `graceMs` without it: `true` when no job was left running.
   */
  stop(graceMs: number): Promise<boolean>;
}

/** The message of a server started without `--model`. */
export const NO_TAGGER_MESSAGE =
  'This server has no tagger: start civtag serve with --model DIR (a folder with model.onnx and selected_tags.csv) to auto-tag from the browser, or run civtag tag.';

/** Makes the auto-tag runner of a dataset; without a tagger every start is refused. */
export function createAutoTagRunner(dataset: Dataset, tagger?: ImageTagger): AutoTagRunner {
  const listeners = new Set<(progress: AutoTagProgress) => void>();
  let running: AutoTagJob | undefined;
  let last: AutoTagProgress | undefined;
  let stopped = false;
  const tell = (progress: AutoTagProgress): void => {
    last = progress;
    for (const listener of listeners) listener(progress);
  };

  return {
    hasTagger: tagger !== undefined,
    start(request) {
      if (tagger === undefined) {
        throw new CivtagError(ErrorCode.NOT_FOUND, NO_TAGGER_MESSAGE, {
          details: { reason: 'no-tagger' },
        });
      }
      if (stopped) {
        throw new CivtagError(ErrorCode.SHUTTING_DOWN, 'civtag is shutting down; no job starts.');
      }
      if (running !== undefined) {
        throw new CivtagError(
          ErrorCode.CONFLICT,
          `An auto-tag job (${running.id}) is running; wait for it to end or cancel it (DELETE /api/autotag/${running.id}) first.`,
          { details: { jobId: running.id } },
        );
      }
      const job = dataset.autoTag(tagger, toOptions(request));
      running = job;
      job.on('progress', tell);
      last = job.progress();
      job.done.then(
        () => {
          if (running === job) running = undefined;
        },
        (error: unknown) => {
          if (running === job) running = undefined;
          const reason = CivtagError.isInstance(error)
            ? { code: error.code, message: error.message }
            : { code: ErrorCode.INTERNAL, message: String(error) };
          tell({ ...job.progress(), state: 'failed', error: reason });
        },
      );
      return last;
    },
    cancel(jobId) {
      if (running === undefined || running.id !== jobId) {
        throw new CivtagError(
          ErrorCode.NOT_FOUND,
          `No auto-tag job ${JSON.stringify(jobId.slice(0, 64))} is running.`,
          { details: { jobId: jobId.slice(0, 64) } },
        );
      }
      running.cancel();
      return running.progress();
    },
    progress: () => (running === undefined ? last : running.progress()),
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop(graceMs) {
      stopped = true;
      const job = running;
      if (job === undefined) return true;
      job.cancel();
      let timer: NodeJS.Timeout | undefined;
      const elapsed = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      const ended = job.done.then(
        () => true,
        () => true,
      );
      try {
        return await Promise.race([ended, elapsed]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function toOptions(request: AutoTagRequest): AutoTagOptions {
  const options: AutoTagOptions = {};
  if (request.target !== undefined) options.target = request.target;
  if (request.mode !== undefined) options.mode = request.mode;
  if (request.thresholds !== undefined) {
    const thresholds: NonNullable<AutoTagOptions['thresholds']> = {};
    if (request.thresholds.general !== undefined) thresholds.general = request.thresholds.general;
    if (request.thresholds.character !== undefined) {
      thresholds.character = request.thresholds.character;
    }
    options.thresholds = thresholds;
  }
  if (request.exclude !== undefined) options.exclude = request.exclude;
  if (request.maxTags !== undefined) options.maxTags = request.maxTags;
  if (request.rescore !== undefined) options.rescore = request.rescore;
  return options;
}
