import type { Writable } from 'node:stream';
import type { CivtagError } from '@civtag/api-models';
import { toErrorBody } from '@civtag/api-models';

/** Where a command writes, and how: text for people, or one JSON document for scripts. */
export interface CommandContext {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  /** `--json`: print exactly one JSON document on standard output. */
  json: boolean;
  /** The environment (for the demo folder: `XDG_CACHE_HOME`). */
  env: NodeJS.ProcessEnv;
}

/** The fields of a `--json` result; `ok` is set by the printer, never by a command. */
export type CommandResult = Record<string, unknown> & { ok?: never };

/** Prints one line for people (nothing in JSON mode). */
export function say(context: CommandContext, line: string): void {
  if (!context.json) context.stdout.write(`${line}\n`);
}

/**
 * Prints the result of a command that did what was asked as one JSON document (JSON mode only):
 * `{"ok":true, …result}`. `ok` means only that; a verdict on the dataset (`check`'s `passed`) or
 * files an import could not take are fields of `result`. A command that failed prints
 * `{"ok":false,"error":{"code","message"}, …}` instead (see `runCli`).
 */
export function printResult(context: CommandContext, result: CommandResult): void {
  if (context.json) context.stdout.write(`${JSON.stringify({ ok: true, ...result })}\n`);
}

/**
 * Prints the result of a command that stopped before doing what was asked (JSON mode only):
 * `{"ok":false,"error":{"code","message"}, …result}`, the shape of every failure.
 */
export function printFailure(
  context: CommandContext,
  error: CivtagError,
  result: CommandResult = {},
): void {
  if (context.json)
    context.stdout.write(`${JSON.stringify({ ok: false, ...result, ...toErrorBody(error) })}\n`);
}

/** A warning for people, on standard error, in both modes. */
export function warn(context: CommandContext, line: string): void {
  context.stderr.write(`${line}\n`);
}

/** A count with its noun for people: `1 image`, `3 images`, `1 match` / `2 matches`. */
export function countOf(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
