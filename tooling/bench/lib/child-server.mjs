// Starts a small baseline server script as a child process and waits for the `{"port":N}` line
// it prints once listening.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/**
 * Runs `node <script> ...args`; resolves `{ port, url, pid, stop() }` once it reports its port
 * (rejects after `startTimeoutMs`, default 10 s).
 */
export async function startChildServer(script, args = [], { startTimeoutMs = 10_000 } = {}) {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} did not start within ${startTimeoutMs / 1000} s`)),
      startTimeoutMs,
    );
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening`)));
    lines.on('line', (line) => {
      try {
        const { port: reported } = JSON.parse(line);
        clearTimeout(timer);
        resolve(reported);
      } catch {
        // Not the port line.
      }
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await once(child, 'exit');
    clearTimeout(timer);
  };
  return { port, url: `http://127.0.0.1:${port}`, pid: child.pid, stop };
}
