import { CivtagError } from '@civtag/api-models';
import { toErrorAnswer } from '../error-table.js';
import { SERVER_VERSION } from '../server-version.js';
import type { CommandContext } from './command-context.js';
import { checkCommand, checkSpec } from './commands/check-command.js';
import { exportCommand, exportSpec } from './commands/export-command.js';
import { importCommand, importSpec } from './commands/import-command.js';
import { serveCommand, serveSpec } from './commands/serve-command.js';
import { settingsCommand, settingsSpec } from './commands/settings-command.js';
import { statsCommand, statsSpec } from './commands/stats-command.js';
import { tagCommand, tagSpec } from './commands/tag-command.js';
import { UsageError } from './usage-error.js';

/** Exit codes of the civtag command line. */
export const ExitCode = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

const COMMANDS = {
  import: { spec: importSpec, run: importCommand },
  serve: { spec: serveSpec, run: serveCommand },
  export: { spec: exportSpec, run: exportCommand },
  check: { spec: checkSpec, run: checkCommand },
  stats: { spec: statsSpec, run: statsCommand },
  tag: { spec: tagSpec, run: tagCommand },
  settings: { spec: settingsSpec, run: settingsCommand },
} as const;

type CommandName = keyof typeof COMMANDS;

const GENERAL_USAGE = `civtag ${SERVER_VERSION}: prepare image datasets for LoRA training

Usage: civtag <command> [options]

${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(8)} ${command.spec.summary}`)
  .join('\n')}

Run "civtag <command> --help" for its options. Every command takes --json.
Exit codes: 0 success, 1 failure, 2 usage error.`;

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/**
 * Prints a failure: one line a user can act on; a stack only for a fault in civtag itself.
 * The line starts with the only prefix it gets, `civtag <command>: ` or `civtag: ` outside a
 * command, so error messages never carry one of their own.
 */
function reportFailure(context: CommandContext, error: unknown, command?: CommandName): void {
  const { body } = toErrorAnswer(error);
  const prefix = command === undefined ? 'civtag: ' : `civtag ${command}: `;
  if (context.json) context.stdout.write(`${JSON.stringify({ ok: false, ...body })}\n`);
  if (CivtagError.isInstance(error)) {
    context.stderr.write(`${prefix}${error.message}\n`);
    if (error instanceof UsageError && error.usage !== undefined)
      context.stderr.write(`\n${error.usage}\n`);
  } else {
    context.stderr.write(
      `${prefix}unexpected error (a bug in civtag; please report it with this output):\n`,
    );
    context.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
}

/**
 * Runs the civtag command line with `args` (without `node` and the script) and resolves with
 * the exit code: 0 success, 1 failure, 2 usage error. It never throws.
 */
export async function runCli(args: readonly string[], context: CommandContext): Promise<number> {
  const [name, ...rest] = args;
  const json = args.includes('--json');
  const withMode = { ...context, json };
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? context.stderr : context.stdout).write(`${GENERAL_USAGE}\n`);
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (name === '--version' || name === '-v') {
    context.stdout.write(`${SERVER_VERSION}\n`);
    return ExitCode.OK;
  }
  if (!isCommandName(name)) {
    reportFailure(withMode, new UsageError(`unknown command "${name}".`, GENERAL_USAGE));
    return ExitCode.USAGE;
  }
  try {
    return await COMMANDS[name].run(withMode, rest);
  } catch (error) {
    reportFailure(withMode, error, name);
    return error instanceof UsageError ? ExitCode.USAGE : ExitCode.FAILURE;
  }
}
