import path from 'node:path';
import type { CheckReport } from '@civtag/api-models';
import type { CommandContext } from '../command-context.js';
import { countOf, printResult, say } from '../command-context.js';
import type { CommandSpec, OptionsConfig } from '../command-line.js';
import { parseCommandLine } from '../command-line.js';
import { openExistingDataset, readDataset, withDataset } from '../dataset-folder.js';

export const checkSpec = {
  name: 'check',
  summary: 'consistency of session and captions, and the export checks',
  usage: `Usage: civtag check <dataset> [--repair] [--database URL] [--json]

  Reports what would spoil a training run: empty captions, images under 64 px, two images with
  one stem, captions that are not UTF-8 or have a BOM, the trigger word not first, more than
  1,000 images for Civitai, files missing or extra on disk. Exit code 1 when there is an error.

  --repair   also fix what needs no choice: captions with a byte-order mark or not in UTF-8
             are rewritten as UTF-8, and the trigger word is put first (undoable edits).
             Opening a dataset already rewrites captions lagging behind the session and turns
             captions edited elsewhere into undoable edits; what is left needs a decision
  --database URL  read the dataset from the PostgreSQL database it was moved into
             (default: $CIVTAG_DATABASE_URL); --repair is for the server that serves it`,
  options: { repair: { type: 'boolean' }, database: { type: 'string' } },
  positionals: { min: 1, max: 1 },
} as const satisfies CommandSpec<OptionsConfig>;

function printReport(context: CommandContext, report: CheckReport): void {
  for (const problem of report.problems) {
    say(
      context,
      `${problem.severity === 'error' ? 'error  ' : 'warning'} ${problem.code}: ${problem.message}`,
    );
  }
  const errors = report.problems.filter((problem) => problem.severity === 'error').length;
  const warnings = report.problems.length - errors;
  const verdict = report.ok ? ' Ready to export.' : ' Fix the errors before training.';
  say(
    context,
    `${countOf(report.imageCount, 'image')}: ${countOf(errors, 'error')}, ${countOf(warnings, 'warning')}.${verdict}`,
  );
}

/**
 * The report as `--json` prints it: `passed` is the verdict (no problem of severity `error`),
 * while `ok` keeps its one meaning for every command, that the check ran.
 */
function checkResult(report: CheckReport): {
  passed: boolean;
  imageCount: number;
  problems: CheckReport['problems'];
} {
  return { passed: report.ok, imageCount: report.imageCount, problems: report.problems };
}

/** `civtag check`: exit 0 when the report has no error, 1 when it has (`passed` in `--json`). */
export async function checkCommand(
  context: CommandContext,
  args: readonly string[],
): Promise<number> {
  const parsed = parseCommandLine(checkSpec, args);
  if (parsed.help) {
    context.stdout.write(`${checkSpec.usage}\n`);
    return 0;
  }
  const dir = path.resolve(parsed.positionals[0]!);
  if (parsed.values.repair === true) {
    const dataset = await openExistingDataset(dir, 'check --repair', { context });
    const { rewritten, moved, report } = await withDataset(dataset, () => dataset.repair());
    printResult(context, { dataset: dir, repaired: { rewritten, moved }, ...checkResult(report) });
    say(
      context,
      `Repaired: ${countOf(rewritten, 'caption')} rewritten as UTF-8, trigger word put first on ${countOf(moved, 'image')}.`,
    );
    printReport(context, report);
    return report.ok ? 0 : 1;
  }
  // Only reads: works while civtag serve holds the dataset.
  const report = await readDataset(dir, (dataset) => dataset.check(), {
    context,
    database: parsed.values.database,
  });
  printResult(context, { dataset: dir, ...checkResult(report) });
  printReport(context, report);
  return report.ok ? 0 : 1;
}
