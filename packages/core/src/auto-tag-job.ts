import { CivtagError, ErrorCode, type Target } from '@civtag/api-models';
import { hashFile } from '@civtag/core-fs';
import { compileQuery } from '@civtag/tags';
import { EventHub } from './dataset-events.js';
import type { DatasetEntry } from './entry-schema.js';
import { newId } from './ids.js';
import { ImageIndex } from './image-index.js';
import { queryContextOf } from './near-duplicate-view.js';
import { ProgressRate } from './progress-rate.js';
import type { DatasetState, ImageState } from './state-schema.js';

/** A tag the tagger proposes, as `@civtag/autotag` gives it. */
export interface TaggerProposal {
  tag: string;
  score: number;
  category: 'general' | 'character';
}

/** The outcome of one image from a tagger, as `@civtag/autotag` gives it. */
export type TaggerResult<Item> =
  | {
      ok: true;
      input: Item;
      proposals: TaggerProposal[];
      rating: { label: string; score: number } | undefined;
    }
  | { ok: false; input: Item; error: { code: string; message: string } };

/** A per-category threshold: a score, or `'mcut'` (see `@civtag/autotag`). */
export type TaggerThreshold = number | 'mcut';

/** What a tagger is asked to propose. */
export interface TaggerSelection {
  thresholds?: { general?: TaggerThreshold; character?: TaggerThreshold };
  exclude?: string[];
  maxTags?: number;
}

/**
 * What an auto-tag job needs of a tagger: a `Tagger` of `@civtag/autotag` (`loadTagger`) is one.
 * The job takes it from its caller, so this package never loads onnxruntime.
 */
export interface ImageTagger {
  readonly modelPath: string;
  readonly tagsPath: string;
  tag<Item>(
    inputs: Iterable<Item>,
    options: TaggerSelection & { source: (input: Item) => string; signal?: AbortSignal },
  ): AsyncIterable<TaggerResult<Item>>;
}

/**
 * What a job does with the captions. `propose`: nothing, proposals only. `fill-empty`: an image
 * that has no tags but the trigger word when its results are journaled gets its proposals as
 * tags. `append`: proposals go after an image's own tags, which keep their order.
 */
export type AutoTagMode = 'propose' | 'fill-empty' | 'append';

/** Options of `dataset.autoTag()`. */
export interface AutoTagOptions extends TaggerSelection {
  /** Which images: default every image that is not excluded. */
  target?: Target;
  /** Default `propose`. */
  mode?: AutoTagMode;
  /** Score images again that this model scored already. Default `false` (they are skipped). */
  rescore?: boolean;
  /**
   * The id recorded on each scored image (`scored`), which a later job compares to skip it.
   * Default: the SHA-256 of `model.onnx` and `selected_tags.csv`, so a changed model scores again.
   */
  model?: string;
  /** Cancels the job, like {@link AutoTagJob.cancel}. */
  signal?: AbortSignal;
}

/** A failed image of a job. */
export interface AutoTagFailure {
  imageId: string;
  file: string;
  code: string;
  message: string;
}

/** How far a job is. */
export interface AutoTagProgress {
  jobId: string;
  state: 'running' | 'done' | 'cancelled';
  /** Images the job tags (the target less those skipped). */
  total: number;
  /** Of those, images whose results are journaled or that failed. */
  done: number;
  /** Images scored and journaled in this run. */
  scored: number;
  /** Images skipped because this model scored them before. */
  skipped: number;
  failed: AutoTagFailure[];
  /** Images whose tags the job changed (`fill-empty`, `append`). */
  tagged: number;
  /** Since the job began. */
  elapsedMs?: number;
  /** Images a second over the last few seconds, once there is a pace to measure. */
  perSecond?: number;
  /** At that pace; 0 once every image is done. */
  remainingMs?: number;
}

/** A running auto-tag job. */
export interface AutoTagJob {
  readonly id: string;
  progress(): AutoTagProgress;
  /** Resolves with the final progress (`done` or `cancelled`); rejects when the job fails as a whole. */
  readonly done: Promise<AutoTagProgress>;
  on(event: 'progress', listener: (progress: AutoTagProgress) => void): () => void;
  /** Stops after the batch in inference; what was journaled stays, and a new job resumes. */
  cancel(): void;
}

/** What an auto-tag job needs of its dataset. */
export interface AutoTagContext {
  state: () => DatasetState;
  imagePath: (id: string) => string;
  /** Journals a batch (`commitMany`) inside the dataset's queue; resolves once it is durable. */
  commitBatch: (entries: DatasetEntry[]) => Promise<{ tagged: number; written: Promise<void> }>;
  announce: (progress: AutoTagProgress) => void;
}

/** Images journaled together at most; the first batch holds one, then it doubles. */
const BATCH_LIMIT = 32;

/**
 * Starts tagging the target images with `tagger`: each result is journaled as the image's
 * proposals, rating and `scored` model (in batches, one flush each), and in `fill-empty` and
 * `append` modes the batch ends with an `accept-proposals` op on its images (one undo step per
 * batch). A killed or cancelled job loses at most the batch in flight: a new job skips images
 * the model scored already.
 */
export function startAutoTag(
  context: AutoTagContext,
  tagger: ImageTagger,
  options: AutoTagOptions = {},
): AutoTagJob {
  const id = newId();
  const events = new EventHub<{ progress: AutoTagProgress }>();
  const controller = new AbortController();
  const mode = options.mode ?? 'propose';
  if (!['propose', 'fill-empty', 'append'].includes(mode)) {
    throw new CivtagError(
      ErrorCode.VALIDATION,
      `The auto-tag mode must be propose, fill-empty or append, not "${mode}".`,
      { details: { field: 'mode', mode } },
    );
  }
  const images = targetImages(context.state(), options.target ?? { all: true });
  const abort = (): void => controller.abort();
  if (options.signal?.aborted === true) controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  const progress: AutoTagProgress = {
    jobId: id,
    state: 'running',
    total: images.length,
    done: 0,
    scored: 0,
    skipped: 0,
    failed: [],
    tagged: 0,
  };
  const rate = new ProgressRate();
  const announce = (): void => {
    rate.stamp(progress);
    const copy = { ...progress, failed: [...progress.failed] };
    events.emit('progress', copy);
    context.announce(copy);
  };
  const run = async (): Promise<AutoTagProgress> => {
    const model = options.model ?? (await modelId(tagger));
    const todo = images.filter((image) => options.rescore === true || image.scored !== model);
    progress.skipped = images.length - todo.length;
    progress.total = todo.length;
    announce();
    const writes: Promise<void>[] = [];
    let pending: DatasetEntry[] = [];
    let limit = 1;
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const entries = pending;
      pending = [];
      const ids = entries.flatMap((entry) => (entry.kind === 'proposals' ? [entry.imageId] : []));
      if (mode !== 'propose') {
        entries.push({
          kind: 'op',
          origin: 'op',
          op: {
            type: 'accept-proposals',
            target: { ids },
            ...(mode === 'fill-empty' ? { onlyUntagged: true } : {}),
          },
        });
      }
      const { tagged, written } = await context.commitBatch(entries);
      writes.push(written);
      progress.scored += ids.length;
      progress.done += ids.length;
      progress.tagged += tagged;
      limit = Math.min(limit * 2, BATCH_LIMIT);
      announce();
    };
    try {
      for await (const result of tagger.tag(todo, {
        source: (image) => context.imagePath(image.id),
        signal: controller.signal,
        ...selection(options),
      })) {
        if (!result.ok) {
          progress.failed.push({
            imageId: result.input.id,
            file: result.input.file,
            code: result.error.code,
            message: result.error.message,
          });
          progress.done += 1;
          continue;
        }
        const entry: DatasetEntry = {
          kind: 'proposals',
          imageId: result.input.id,
          model,
          proposals: result.proposals.map(({ tag, score, category }) => ({
            tag,
            score,
            category,
          })),
        };
        if (result.rating !== undefined) {
          entry.rating = { label: result.rating.label, score: result.rating.score };
        }
        pending.push(entry);
        if (pending.length >= limit) await flush();
      }
      await flush();
      progress.state = 'done';
    } catch (error) {
      if (!(CivtagError.isInstance(error) && error.code === ErrorCode.CANCELLED)) {
        // The results yielded before the failure are good: keep them, then fail with the cause.
        await flush().catch(() => undefined);
        await Promise.allSettled(writes);
        throw error;
      }
      // The results yielded before the cancel are good: keep them.
      await flush();
      progress.state = 'cancelled';
    }
    await Promise.all(writes);
    announce();
    return { ...progress, failed: [...progress.failed] };
  };
  const done = run().finally(() => options.signal?.removeEventListener('abort', abort));
  return {
    id,
    progress: () => ({ ...progress, failed: [...progress.failed] }),
    done,
    on: (event, listener) => events.on(event, listener),
    cancel: () => controller.abort(),
  };
}

/** The images of `target` in import order: listed ids, or the non-excluded ones that match. */
function targetImages(state: DatasetState, target: Target): ImageState[] {
  const index = ImageIndex.for(state);
  if ('ids' in target) {
    const seen = new Set<string>();
    const picked: ImageState[] = [];
    for (const id of target.ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const image = index.byId.get(id);
      if (image === undefined) {
        throw new CivtagError(
          ErrorCode.NOT_FOUND,
          `No image with id "${id}" in this dataset; nothing was tagged. Reload the image list and try again.`,
          { details: { imageId: id } },
        );
      }
      picked.push(image);
    }
    return picked;
  }
  const matches =
    'query' in target ? compileQuery(target.query, queryContextOf(state)) : () => true;
  return index.order.filter((image) => !image.excluded && matches(image));
}

function selection(options: AutoTagOptions): TaggerSelection {
  const chosen: TaggerSelection = {};
  if (options.thresholds !== undefined) chosen.thresholds = options.thresholds;
  if (options.exclude !== undefined) chosen.exclude = options.exclude;
  if (options.maxTags !== undefined) chosen.maxTags = options.maxTags;
  return chosen;
}

/** The default model id: the SHA-256 of the model and its tag list, shortened. */
async function modelId(tagger: ImageTagger): Promise<string> {
  const [model, tags] = await Promise.all([
    taggerFileHash(tagger.modelPath),
    taggerFileHash(tagger.tagsPath),
  ]);
  return `sha256:${model.slice(0, 16)}${tags.slice(0, 16)}`;
}

async function taggerFileHash(file: string): Promise<string> {
  try {
    return await hashFile(file);
  } catch (error) {
    const code = CivtagError.isInstance(error) ? error.code : ErrorCode.IO_ERROR;
    const why = error instanceof Error ? error.message : String(error);
    throw new CivtagError(
      code,
      `The tagger's file ${file} cannot be read, so no image was tagged (${why}). Put the tagger's folder back, or load the tagger again from where it is now (civtag serve --model DIR).`,
      { cause: error, details: { path: file } },
    );
  }
}
