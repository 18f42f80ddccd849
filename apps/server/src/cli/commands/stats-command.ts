import path from 'node:path';
import type { CommandContext } from '../command-context.js';
import { countOf, printResult, say } from '../command-context.js';
import type { CommandSpec, OptionsConfig } from '../command-line.js';
import { parseCommandLine } from '../command-line.js';
import { readDataset } from '../dataset-folder.js';

export const statsSpec = {
  name: 'stats',
  summary: 'tag frequencies of a dataset',
  usage: `Usage: civtag stats <dataset> [--database URL] [--json]

  Prints every tag with the number of images that carry it, most frequent first.

  --database URL            read the dataset from the PostgreSQL database it was moved into
                            (default: $CIVTAG_DATABASE_URL)`,
  options: { database: { type: 'string' } },
  positionals: { min: 1, max: 1 },
} as const satisfies CommandSpec<OptionsConfig>;

/** `civtag stats`: the tag table of a dataset. */
export async function statsCommand(
  context: CommandContext,
  args: readonly string[],
): Promise<number> {
  const parsed = parseCommandLine(statsSpec, args);
  if (parsed.help) {
    context.stdout.write(`${statsSpec.usage}\n`);
    return 0;
  }
  const dir = path.resolve(parsed.positionals[0]!);
  // Only reads: works while civtag serve holds the dataset.
  const { tags, imageCount } = await readDataset(
    dir,
    async (dataset) => ({
      tags: dataset.tagStats(),
      imageCount: dataset.images().filter((image) => !image.excluded).length,
    }),
    { context, database: parsed.values.database },
  );
  printResult(context, { dataset: dir, imageCount, tags });
  say(context, `${countOf(imageCount, 'image')}, ${countOf(tags.length, 'distinct tag')}`);
  const width = String(tags[0]?.count ?? 0).length;
  for (const { tag, count } of tags) say(context, `${String(count).padStart(width)}  ${tag}`);
  return 0;
}
