import path from 'node:path';
import type { CommandContext } from '../command-context.js';
import { printFailure, printResult } from '../command-context.js';
import type { CommandSpec, OptionsConfig } from '../command-line.js';
import { parseCommandLine } from '../command-line.js';
import { openOrCreateDataset, requireSourceFolder, withDataset } from '../dataset-folder.js';
import { importStoppedError, reportImport, runImport } from '../run-import.js';
import { SETTINGS_OPTIONS, SETTINGS_USAGE, settingsFromOptions } from '../settings-options.js';
import { UsageError } from '../usage-error.js';

export const importSpec = {
  name: 'import',
  summary: 'copy a folder of images into a dataset (resumable)',
  usage: `Usage: civtag import <source> --out <dataset> [--prefix NAME] [--trigger WORD] [--tag-style spaces|underscores]
                     [--recursive] [--tags-from-metadata] [--json]

  <source>              folder of images; it is only read, never written
  --out DIR             the dataset folder (created when missing; an existing dataset gets the new images)
  --recursive           also import from sub-folders
  --tags-from-metadata  take tags from the generation prompt (A1111, ComfyUI…) when there is no caption file
  --json                print one JSON result

  Settings, for a new dataset or changed on an existing one (as one undoable edit, before the
  import, so the new images follow them). Without --tag-style a new dataset takes the style most
  of the captions it imports are written in.
${SETTINGS_USAGE}`,
  options: {
    out: { type: 'string', short: 'o' },
    recursive: { type: 'boolean', short: 'r' },
    'tags-from-metadata': { type: 'boolean' },
    ...SETTINGS_OPTIONS,
  },
  positionals: { min: 1, max: 1 },
} as const satisfies CommandSpec<OptionsConfig>;

/**
 * `civtag import`: exit 0 and `"ok":true` when the import ran to its end, files it could not take
 * listed in `failures`; exit 1 and `"ok":false` with a `CANCELLED` error when it was stopped.
 */
export async function importCommand(
  context: CommandContext,
  args: readonly string[],
): Promise<number> {
  const parsed = parseCommandLine(importSpec, args);
  if (parsed.help) {
    context.stdout.write(`${importSpec.usage}\n`);
    return 0;
  }
  const { values } = parsed;
  if (values.out === undefined)
    throw new UsageError('--out <dataset> is required.', importSpec.usage);
  const source = path.resolve(parsed.positionals[0]!);
  const out = path.resolve(values.out);
  await requireSourceFolder(source);
  const { dataset } = await openOrCreateDataset(context, out, (current) =>
    settingsFromOptions(values, current, importSpec.usage),
  );
  const progress = await withDataset(dataset, () =>
    runImport(context, dataset, source, {
      recursive: values.recursive === true,
      tagsFromMetadata: values['tags-from-metadata'] === true,
    }),
  );
  reportImport(context, progress, out);
  if (progress.state === 'done') {
    printResult(context, { dataset: out, ...progress });
    return 0;
  }
  printFailure(context, importStoppedError(progress, out), { dataset: out, ...progress });
  return 1;
}
