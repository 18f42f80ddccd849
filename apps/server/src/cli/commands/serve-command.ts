import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { CivtagError, ErrorCode, type Settings } from '@civtag/api-models';
import type { Dataset } from '@civtag/core';
import type { VocabularyEntry } from '@civtag/tags';
import { parseVocabularyCsv } from '@civtag/tags';
import { createServer } from '../../create-server.js';
import { isWildcardHost } from '../../security/allowed-hosts.js';
import type { CommandContext } from '../command-context.js';
import { printResult, say, warn } from '../command-context.js';
import type { CommandSpec, OptionsConfig, OptionValues } from '../command-line.js';
import { integerOption, parseCommandLine } from '../command-line.js';
import { databaseUrl, openDatasetInDatabase } from '../database-dataset.js';
import {
  holdsImages,
  isDataset,
  openExistingDataset,
  openOrCreateDataset,
  requireSourceFolder,
} from '../dataset-folder.js';
import { openDemoDataset } from '../demo-dataset.js';
import { loadAutotag } from '../load-autotag.js';
import { openBrowser } from '../open-browser.js';
import { importStoppedError, reportImport, runImport } from '../run-import.js';
import {
  applySettings,
  SETTINGS_OPTIONS,
  SETTINGS_USAGE,
  settingsFromOptions,
} from '../settings-options.js';
import { UsageError } from '../usage-error.js';

export const serveSpec = {
  name: 'serve',
  summary: 'tag a dataset in the browser (no dataset: a demo)',
  usage: `Usage: civtag serve [<dataset> | <folder of images>] [--source DIR] [--prefix NAME] [--trigger WORD] [--host 127.0.0.1] [--port 4747] [--token T]
                    [--import-root DIR]… [--allow-host NAME]… [--vocabulary tags.csv] [--model DIR] [--database URL] [--open] [--json]

  <dataset>            the dataset folder; a folder of images that is no dataset yet is imported into
                       <folder>-dataset beside it first; without it (and without --source) a demo
                       dataset is served
  --source DIR         import DIR into <dataset> first (created when missing; default: DIR-dataset
                       beside DIR), then serve
  --host ADDRESS       address to bind (default 127.0.0.1); any other address requires a token
  --port N             port (default 4747; 0 picks a free one)
  --token T            the access token (default: generated when one is required)
  --import-root DIR    a folder the browser may import from (repeatable)
  --allow-host NAME    another name the server may be reached by, such as a LAN host name (repeatable)
  --vocabulary FILE    tag list for autocompletion (a1111-tagcomplete CSV: tag,category,count,aliases)
  --model DIR          a tagger folder (model.onnx + selected_tags.csv, the WD v2/v3 layout) the
                       browser may auto-tag with; needs the optional package @civtag/autotag
  --database URL       keep the dataset's state in PostgreSQL (postgres://user:password@host:port/db;
                       default: $CIVTAG_DATABASE_URL), shared by every civtag serving the folder: the
                       first moves a dataset of the folder into it, the others join
  --open               open the browser
  --json               print one JSON line with the URL and token once listening

  Settings, for a new dataset or changed on the one served (as one undoable edit):
${SETTINGS_USAGE}`,
  options: {
    source: { type: 'string' },
    ...SETTINGS_OPTIONS,
    host: { type: 'string' },
    port: { type: 'string', short: 'p' },
    token: { type: 'string' },
    'import-root': { type: 'string', multiple: true },
    'allow-host': { type: 'string', multiple: true },
    vocabulary: { type: 'string' },
    model: { type: 'string', short: 'm' },
    database: { type: 'string' },
    open: { type: 'boolean' },
  },
  positionals: { min: 0, max: 1 },
} as const satisfies CommandSpec<OptionsConfig>;

async function readVocabulary(file: string | undefined): Promise<VocabularyEntry[]> {
  if (file === undefined) return [];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `Cannot read the vocabulary ${file}: check the path.`,
      { cause },
    );
  }
  return parseVocabularyCsv(text);
}

async function openServedDataset(
  context: CommandContext,
  positional: string | undefined,
  values: OptionValues<typeof serveSpec.options>,
): Promise<{ dataset: Dataset; dir: string }> {
  const settingsFor = (current: Settings | undefined) =>
    settingsFromOptions(values, current, serveSpec.usage);
  const database = databaseUrl(values.database, context.env);
  if (database !== undefined) return openDatasetOfDatabase(context, positional, values, database);
  if (positional === undefined && values.source === undefined) return openDemoDataset(context);
  let sourceFolder = values.source;
  let datasetFolder = positional;
  if (sourceFolder === undefined) {
    const dir = path.resolve(positional!);
    if (isDataset(dir)) {
      // The server serves at once; the files are reconciled in the background.
      const opened = await openOrCreateDataset(context, dir, settingsFor, { serving: true });
      return { dataset: opened.dataset, dir };
    }
    // Neither a dataset nor a folder of images: the error says how to make a dataset.
    if (!(await holdsImages(dir))) return { dataset: await openExistingDataset(dir), dir };
    // `civtag serve ~/pictures/sakura`: a folder of images, not a dataset. Import it beside
    // itself (again on a later run: the import goes on where it stopped, adding new images).
    say(context, `${dir} is a folder of images: importing it into ${dir}-dataset.`);
    sourceFolder = dir;
    datasetFolder = undefined;
  }
  const source = path.resolve(sourceFolder);
  // Without a dataset folder, the dataset goes beside the source (which civtag never writes to).
  const dir = path.resolve(datasetFolder ?? `${source}-dataset`);
  await requireSourceFolder(source);
  const { dataset } = await openOrCreateDataset(context, dir, settingsFor);
  try {
    const progress = await runImport(context, dataset, source);
    reportImport(context, progress, dir);
    // Ctrl+C during the import means "stop", not "serve what is there so far".
    if (progress.state === 'cancelled') throw importStoppedError(progress, dir);
  } catch (error) {
    await dataset.close();
    throw error;
  }
  return { dataset, dir };
}

/** `civtag serve <dataset> --database URL`: the dataset's state in PostgreSQL, shared. */
async function openDatasetOfDatabase(
  context: CommandContext,
  positional: string | undefined,
  values: OptionValues<typeof serveSpec.options>,
  url: string,
): Promise<{ dataset: Dataset; dir: string }> {
  if (positional === undefined || values.source !== undefined) {
    throw new UsageError(
      'with --database, give the dataset folder (no --source: import into it first, or from the browser).',
      serveSpec.usage,
    );
  }
  const dir = path.resolve(positional);
  if (!isDataset(dir)) return { dataset: await openExistingDataset(dir), dir };
  const dataset = await openDatasetInDatabase(context, dir, url);
  try {
    await applySettings(
      context,
      dataset,
      settingsFromOptions(values, dataset.settings, serveSpec.usage),
    );
  } catch (error) {
    await dataset.close();
    throw error;
  }
  return { dataset, dir };
}

/**
 * `civtag serve`: serves until SIGINT/SIGTERM, then shuts down gracefully (exit 0); a second
 * signal exits at once (every acknowledged edit is already in the journal).
 */
export async function serveCommand(
  context: CommandContext,
  args: readonly string[],
): Promise<number> {
  const parsed = parseCommandLine(serveSpec, args);
  if (parsed.help) {
    context.stdout.write(`${serveSpec.usage}\n`);
    return 0;
  }
  const { values } = parsed;
  const port = integerOption(values.port, 'port', { min: 0, max: 65_535 }, serveSpec.usage) ?? 4747;
  const host = values.host ?? '127.0.0.1';
  const vocabulary = await readVocabulary(values.vocabulary);
  const importRoots = (values['import-root'] ?? []).map((root) => path.resolve(root));
  // The tagger first: a missing package or a bad folder is said before anything is opened.
  const tagger =
    values.model === undefined
      ? undefined
      : await (await loadAutotag()).loadTagger(path.resolve(values.model));
  let opened: { dataset: Dataset; dir: string };
  try {
    opened = await openServedDataset(context, parsed.positionals[0], values);
  } catch (error) {
    await tagger?.close();
    throw error;
  }
  const { dataset, dir } = opened;

  let server: Awaited<ReturnType<typeof createServer>>;
  let address: { url: string; port: number };
  try {
    server = await createServer({
      dataset,
      host,
      ...(values.token === undefined ? {} : { token: values.token }),
      allowHosts: values['allow-host'] ?? [],
      importRoots,
      vocabulary,
      ...(tagger === undefined ? {} : { tagger }),
      logger: 'warn',
    });
    address = await server.listen({ port });
  } catch (error) {
    await dataset.close();
    await tagger?.close();
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new CivtagError(
        ErrorCode.CONFLICT,
        `Port ${port} is in use: stop what uses it, or pass --port N (0 picks a free one).`,
        { cause: error },
      );
    }
    throw error;
  }

  const stopped = new Promise<void>((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        warn(context, `civtag: ${signal} again, exiting now (every acknowledged edit is on disk).`);
        process.exit(1);
      }
      signalled = true;
      warn(context, 'civtag: shutting down (press Ctrl+C again to exit at once)…');
      void server.close({ reason: `civtag received ${signal}` }).then(resolve, (error: unknown) => {
        warn(
          context,
          `civtag: shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exit(1);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

  printResult(context, {
    url: address.url,
    port: address.port,
    host,
    token: server.token ?? null,
    dataset: dir,
  });
  say(context, `civtag is serving ${dir} (${dataset.imageCount} images)`);
  say(context, `Open ${address.url}`);
  if (isWildcardHost(host))
    say(
      context,
      `  or http://${hostname()}:${address.port}/${server.token === undefined ? '' : `?token=${server.token}`}`,
    );
  if (importRoots.length === 0)
    say(context, 'Imports from the browser are off (start with --import-root DIR to allow them).');
  if (tagger !== undefined) say(context, `Auto-tagging with ${path.resolve(values.model!)}.`);
  if (values.open === true) openBrowser(address.url);
  await stopped;
  await tagger?.close();
  say(context, 'civtag stopped; the dataset is saved.');
  return 0;
}
