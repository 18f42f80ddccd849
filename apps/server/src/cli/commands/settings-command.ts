import path from 'node:path';
import type { CommandContext } from '../command-context.js';
import { printResult, say } from '../command-context.js';
import type { CommandSpec, OptionsConfig } from '../command-line.js';
import { parseCommandLine } from '../command-line.js';
import { openExistingDataset, readDataset, withDataset } from '../dataset-folder.js';
import {
  applySettings,
  describeSettings,
  SETTINGS_OPTIONS,
  SETTINGS_USAGE,
  settingsFromOptions,
} from '../settings-options.js';

export const settingsSpec = {
  name: 'settings',
  summary: 'show or change the trigger word, prefix, tag style and kohya repeats',
  usage: `Usage: civtag settings <dataset> [--trigger WORD | --no-trigger] [--prefix NAME] [--tag-style spaces|underscores]
                       [--escape-parens on|off] [--repeats N] [--json]

  Without options, prints the settings. With options, changes them as one undoable edit
  (Undo in the web app takes it back).

${SETTINGS_USAGE}`,
  options: SETTINGS_OPTIONS,
  positionals: { min: 1, max: 1 },
} as const satisfies CommandSpec<OptionsConfig>;

/**
 * `civtag settings`: prints a dataset's settings (reading only, so it works beside `civtag
 * serve`), or changes them as one `settings` op, which needs the dataset's lock.
 */
export async function settingsCommand(
  context: CommandContext,
  args: readonly string[],
): Promise<number> {
  const parsed = parseCommandLine(settingsSpec, args);
  if (parsed.help) {
    context.stdout.write(`${settingsSpec.usage}\n`);
    return 0;
  }
  const dir = path.resolve(parsed.positionals[0]!);
  const asked = settingsFromOptions(parsed.values, undefined, settingsSpec.usage);
  if (Object.keys(asked).length === 0) {
    return readDataset(dir, async ({ settings }) => {
      printResult(context, { dataset: dir, settings });
      say(context, describeSettings(settings));
      return 0;
    });
  }
  const dataset = await openExistingDataset(dir, 'civtag settings', { context });
  return withDataset(dataset, async () => {
    // The half of the tag style an option leaves out is the dataset's own.
    const changes = settingsFromOptions(parsed.values, dataset.settings, settingsSpec.usage);
    const changed = await applySettings(context, dataset, changes);
    if (Object.keys(changed).length === 0)
      say(context, 'The settings are already so; nothing changed.');
    printResult(context, { dataset: dir, changed, settings: dataset.settings });
    return 0;
  });
}
