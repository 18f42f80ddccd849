// Runs a Node script in a fresh process and reads the JSON document it prints.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execute = promisify(execFile);

/** `node [nodeArguments] script ...args`; resolves the JSON document it printed. */
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
  // One JSON document: the whole output, or else the last line, or else the last block that
  // starts with "{" at the beginning of a line (pretty-printed JSON after some log lines).
  const text = stdout.trim();
  const candidates = [text, text.split('\n').at(-1) ?? '', text.slice(text.lastIndexOf('\n{') + 1)];
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate);
    } catch {
      // Try the next shape.
    }
  }
  throw new Error(`${script} printed no JSON: ${stdout.slice(-300)}`);
}
