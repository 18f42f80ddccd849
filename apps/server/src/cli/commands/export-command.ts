import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type CaptionOptions, Limits } from '@civtag/api-models';
import type { CommandContext } from '../command-context.js';
import { countOf, printResult, say } from '../command-context.js';
import type { CommandSpec, OptionsConfig } from '../command-line.js';
import { integerOption, parseCommandLine } from '../command-line.js';
import { readDataset } from '../dataset-folder.js';
import { UsageError } from '../usage-error.js';

export const exportSpec = {
  name: 'export',
  summary: 'write the dataset as a zip (Civitai) or a kohya folder',
  usage: `Usage: civtag export <dataset> (--zip FILE | --kohya DIR [--repeats N]) [--escape-parens] [--underscores-to-spaces] [--database URL] [--json]

  --zip FILE                image + .txt pairs at the root of FILE (what Civitai's trainer takes)
  --kohya DIR               a <repeats>_<trigger> folder inside DIR (what kohya sd-scripts takes)
  --repeats N               kohya repeats (default 10)
  --escape-parens           write ( and ) as \\( and \\) in the exported captions
  --underscores-to-spaces   write long_hair as long hair (tags longer than 3 characters)
  --database URL            read the dataset from the PostgreSQL database it was moved into
                            (default: $CIVTAG_DATABASE_URL)`,
  options: {
    zip: { type: 'string' },
    kohya: { type: 'string' },
    repeats: { type: 'string' },
    'escape-parens': { type: 'boolean' },
    'underscores-to-spaces': { type: 'boolean' },
    database: { type: 'string' },
  },
  positionals: { min: 1, max: 1 },
} as const satisfies CommandSpec<OptionsConfig>;

/** Streams a zip into `file` through a temporary name, so a stopped export leaves no half file. */
async function writeZip(stream: NodeJS.ReadableStream, file: string): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    await pipeline(stream, createWriteStream(partial, { flags: 'wx' }));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** `civtag export`. */
export async function exportCommand(
  context: CommandContext,
  args: readonly string[],
): Promise<number> {
  const parsed = parseCommandLine(exportSpec, args);
  if (parsed.help) {
    context.stdout.write(`${exportSpec.usage}\n`);
    return 0;
  }
  const { values } = parsed;
  if ((values.zip === undefined) === (values.kohya === undefined)) {
    throw new UsageError('give exactly one of --zip FILE or --kohya DIR.', exportSpec.usage);
  }
  if (values.repeats !== undefined && values.kohya === undefined) {
    throw new UsageError('--repeats goes with --kohya.', exportSpec.usage);
  }
  const repeats = integerOption(
    values.repeats,
    'repeats',
    { min: 1, max: Limits.kohyaRepeats },
    exportSpec.usage,
  );
  const overrides: Partial<CaptionOptions> = {};
  if (values['escape-parens'] === true) overrides.escapeParentheses = true;
  if (values['underscores-to-spaces'] === true) overrides.underscoresToSpaces = true;
  const dir = path.resolve(parsed.positionals[0]!);
  // Only reads the dataset: works while civtag serve holds it.
  await readDataset(
    dir,
    async (dataset) => {
      if (values.zip !== undefined) {
        const file = path.resolve(values.zip);
        await writeZip(dataset.export({ format: 'zip' }, overrides), file);
        say(context, `Exported ${dir} to ${file}.`);
        printResult(context, { format: 'zip', file });
        return;
      }
      const outDir = path.resolve(values.kohya!);
      const options =
        repeats === undefined
          ? { format: 'kohya' as const, outDir }
          : { format: 'kohya' as const, outDir, repeats };
      const result = await dataset.export(options, overrides);
      say(
        context,
        `Exported ${countOf(result.images, 'image')} of ${dir} to ${result.dir} (kohya layout).`,
      );
      printResult(context, { format: 'kohya', ...result });
    },
    { context, database: values.database },
  );
  return 0;
}
