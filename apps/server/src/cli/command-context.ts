import type { Writable } from 'node:stream';

/** Where a command writes, and how: text for people, or one JSON document for scripts. */
export interface CommandContext {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  /** `--json`: print exactly one JSON document on standard output. */
  json: boolean;
  /** The environment (for the demo folder: `XDG_CACHE_HOME`). */
  env: NodeJS.ProcessEnv;
}

/** Prints one line for people (nothing in JSON mode). */
export function say(context: CommandContext, line: string): void {
  if (!context.json) context.stdout.write(`${line}\n`);
}

/** Prints the command's result as one JSON document (JSON mode only). */
export function printJson(context: CommandContext, value: unknown): void {
  if (context.json) context.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A warning for people, on standard error, in both modes. */
export function warn(context: CommandContext, line: string): void {
  context.stderr.write(`${line}\n`);
}
