#!/usr/bin/env node
import { runCli } from './cli/run-cli.js';

const exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  json: false,
  env: process.env,
});
// Let pending output drain, then leave even if something (a stray timer) is still referenced.
process.exitCode = exitCode;
setImmediate(() => process.exit(exitCode)).unref();
