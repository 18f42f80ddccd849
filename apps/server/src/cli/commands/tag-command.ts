import path from 'node:path';
import { CivtagError, describePace, ErrorCode } from '@civtag/api-models';
import type { AutoTagMode, AutoTagProgress, Dataset, TaggerThreshold } from '@civtag/core';
import type { CommandContext } from '../command-context.js';
import { countOf, printFailure, printResult, say, warn } from '../command-context.js';
import type { CommandSpec, OptionsConfig } from '../command-line.js';
import { parseCommandLine } from '../command-line.js';
import { openExistingDataset, withDataset } from '../dataset-folder.js';
import { loadAutotag } from '../load-autotag.js';
import { createProgressBar } from '../progress-bar.js';
import { UsageError } from '../usage-error.js';

export const tagSpec = {
  name: 'tag',
  summary: 'propose tags with a WD14-style tagger (resumable; captions untouched by default)',
  usage: `Usage: civtag tag <dataset> --model DIR [--mode propose|fill-empty|append]
                  [--threshold 0.35] [--character-threshold 0.85] [--exclude TAGS]
                  [--query Q] [--rescore] [--json]

  --model DIR                a tagger folder: model.onnx + selected_tags.csv (the WD v2/v3 layout)
  --mode MODE                propose (default): store proposals, leave captions alone;
                             fill-empty: images with no tags (the trigger word aside) get them;
                             append: proposals go after each image's own tags, nothing removed
  --threshold N              general tags proposed at this score or above (0–1 or mcut; default 0.35)
  --character-threshold N    character tags likewise (default 0.85)
  --exclude TAGS             tags never proposed, comma-separated
  --query Q                  only the images this filter matches (default: every image)
  --rescore                  score again images this model scored before (skipped otherwise)
  --json                     print one JSON result

  Ctrl+C stops after the batch in flight; run the same command again to go on where it stopped.
  Accept or reject proposals in the web app (civtag serve). Needs the optional package
  @civtag/autotag.`,
  options: {
    model: { type: 'string', short: 'm' },
    mode: { type: 'string' },
    threshold: { type: 'string' },
    'character-threshold': { type: 'string' },
    exclude: { type: 'string', multiple: true },
    query: { type: 'string', short: 'q' },
    rescore: { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
} as const satisfies CommandSpec<OptionsConfig>;

const MODES: readonly AutoTagMode[] = ['propose', 'fill-empty', 'append'];

function thresholdOption(value: string | undefined, name: string): TaggerThreshold | undefined {
  if (value === undefined) return undefined;
  if (value === 'mcut') return 'mcut';
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new UsageError(
      `--${name} must be a score from 0 to 1 or "mcut", not "${value}".`,
      tagSpec.usage,
    );
  }
  return number;
}

/**
 * `civtag tag`: exit 0 and `"ok":true` when the job ran to its end (images that could not be
 * read are listed in `failed`); exit 1 with a `CANCELLED` error when it was stopped.
 */
export async function tagCommand(
  context: CommandContext,
  args: readonly string[],
): Promise<number> {
  const parsed = parseCommandLine(tagSpec, args);
  if (parsed.help) {
    context.stdout.write(`${tagSpec.usage}\n`);
    return 0;
  }
  const { values } = parsed;
  if (values.model === undefined)
    throw new UsageError('--model <folder> is required.', tagSpec.usage);
  const mode = (values.mode ?? 'propose') as AutoTagMode;
  if (!MODES.includes(mode)) {
    throw new UsageError(
      `--mode must be propose, fill-empty or append, not "${values.mode}".`,
      tagSpec.usage,
    );
  }
  const general = thresholdOption(values.threshold, 'threshold');
  const character = thresholdOption(values['character-threshold'], 'character-threshold');
  const exclude = (values.exclude ?? [])
    .flatMap((list) => list.split(','))
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  const dir = path.resolve(parsed.positionals[0]!);
  const modelDir = path.resolve(values.model);

  const autotag = await loadAutotag();
  const tagger = await autotag.loadTagger(modelDir);
  let progress: AutoTagProgress;
  try {
    const dataset = await openExistingDataset(dir, 'civtag tag', { context });
    progress = await withDataset(dataset, (open) =>
      runTagging(context, open, tagger, {
        mode,
        thresholds: {
          ...(general === undefined ? {} : { general }),
          ...(character === undefined ? {} : { character }),
        },
        exclude,
        ...(values.query === undefined ? {} : { target: { query: values.query } }),
        rescore: values.rescore === true,
      }),
    );
  } finally {
    await tagger.close();
  }
  const result = { dataset: dir, model: modelDir, mode, ...progress };
  say(
    context,
    `${dir}: ${countOf(progress.scored, 'image')} scored, ${progress.skipped} skipped as already scored, ${progress.failed.length} failed` +
      (mode === 'propose' ? '.' : `; ${countOf(progress.tagged, 'caption')} changed.`),
  );
  for (const failure of progress.failed) warn(context, `  ${failure.file}: ${failure.message}`);
  if (progress.state === 'done') {
    printResult(context, result);
    return 0;
  }
  const stopped = new CivtagError(
    ErrorCode.CANCELLED,
    `Tagging ${dir} was stopped after ${progress.done} of ${progress.total} images (what was scored is kept); run the same command again to go on where it stopped.`,
  );
  printFailure(context, stopped, result);
  if (!context.json) warn(context, stopped.message);
  return 1;
}

/** Runs the job with a progress line and ETA on a terminal; SIGINT or SIGTERM stops it cleanly. */
async function runTagging(
  context: CommandContext,
  dataset: Dataset,
  tagger: Parameters<Dataset['autoTag']>[0],
  options: Parameters<Dataset['autoTag']>[1],
): Promise<AutoTagProgress> {
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  const bar = createProgressBar(context.stderr, 'Tagging');
  try {
    const job = dataset.autoTag(tagger, { ...options, signal: controller.signal });
    const stop = job.on('progress', (now) => {
      bar.update(now.done, now.total, describePace(now, 'images'));
    });
    return await job.done.finally(stop);
  } finally {
    bar.finish();
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}
