import { PassThrough } from 'node:stream';
import { runCli } from '../src/cli/run-cli.js';
import type { CivtagRun } from './harness.js';

/** Runs the command line in this process, as a terminal-less caller, capturing what it prints. */
export async function runCliInProcess(args: string[]): Promise<CivtagRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk) => out.push(String(chunk)));
  stderr.on('data', (chunk) => err.push(String(chunk)));
  const code = await runCli(args, { stdout, stderr, json: false, env: {} });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
