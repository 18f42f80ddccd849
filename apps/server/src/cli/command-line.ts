import type { ParseArgsConfig } from 'node:util';
import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** The option table of one command, as `node:util` parseArgs takes it. */
export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The options every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

/** One command: its name, one-line summary, usage text and options. */
export interface CommandSpec<Options extends OptionsConfig> {
  name: string;
  summary: string;
  usage: string;
  options: Options;
  /** How many positional arguments it takes, at least and at most. */
  positionals: { min: number; max: number };
}

/** The values parsed for an option table: strings, string lists (`multiple`) and booleans. */
export type OptionValues<Options extends OptionsConfig> = {
  [Name in keyof Options]?: Options[Name] extends { type: 'string'; multiple: true }
    ? string[]
    : Options[Name] extends { type: 'string' }
      ? string
      : boolean;
};

/** A parsed command line. `help` is true when `--help` was given (nothing else is checked then). */
export interface ParsedCommandLine<Options extends OptionsConfig> {
  values: OptionValues<Options> & { json?: boolean; help?: boolean };
  positionals: string[];
  help: boolean;
}

/**
 * Parses a command's arguments strictly (unknown options and missing values are usage errors,
 * exit code 2), with `--json` and `--help` added to every command.
 */
export function parseCommandLine<Options extends OptionsConfig>(
  spec: CommandSpec<Options>,
  args: readonly string[],
): ParsedCommandLine<Options> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...spec.options, ...COMMON_OPTIONS },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/\. To specify a positional.*$/s, '.'), spec.usage);
  }
  const values = parsed.values as ParsedCommandLine<Options>['values'];
  if (values.help === true) return { values, positionals: parsed.positionals, help: true };
  const count = parsed.positionals.length;
  if (count < spec.positionals.min) throw new UsageError('missing argument.', spec.usage);
  if (count > spec.positionals.max) {
    throw new UsageError(
      `unexpected argument "${parsed.positionals[spec.positionals.max]}".`,
      spec.usage,
    );
  }
  return { values, positionals: parsed.positionals, help: false };
}

/** Reads a whole-number option, or throws a usage error naming it. */
export function integerOption(
  value: string | undefined,
  name: string,
  range: { min: number; max: number },
  usage: string,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < range.min || Number(value) > range.max) {
    throw new UsageError(
      `--${name} must be a whole number from ${range.min} to ${range.max} (got "${value}").`,
      usage,
    );
  }
  return Number(value);
}
