#!/usr/bin/env node
import { dropOutputOnceReaderCloses } from './cli/closed-output.js';
import { runCli } from './cli/run-cli.js';

// `civtag stats ds | head -5`: the reader may close the pipe early; that is no failure.
dropOutputOnceReaderCloses([process.stdout, process.stderr]);

// `pnpm civtag …` runs in the repository root; paths on its command line are the user's, so
// resolve them from where the user typed the command.
if (process.env.npm_lifecycle_event === 'civtag' && process.env.INIT_CWD !== undefined) {
  process.chdir(process.env.INIT_CWD);
}

const exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  json: false,
  env: process.env,
});
// Let pending output drain, then leave even if something (a stray timer) is still referenced.
process.exitCode = exitCode;
setImmediate(() => process.exit(exitCode)).unref();
