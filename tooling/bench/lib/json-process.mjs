// Runs a Node script in a fresh process and reads the JSON object on the last line it prints.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execute = promisify(execFile);

/** `node [nodeArguments] script ...args`; resolves the parsed last stdout line. */
export async function runJsonProcess(
  script,
  args = [],
  { nodeArguments = [], timeoutMs = 300_000, cwd } = {},
) {
  const { stdout } = await execute(process.execPath, [...nodeArguments, script, ...args], {
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    cwd,
  });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${script} printed no JSON line: ${stdout.slice(-300)}`);
  }
}
