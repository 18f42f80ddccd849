// Starts the built civtag server (`apps/server/dist/cli.js serve`) on a loopback port as a child
// process, as a user would run it, and stops it again.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { requireFile } from './civtag-packages.mjs';
import { findFreePort } from './free-port.mjs';

const READY_TIMEOUT_MS = 120_000;

async function waitUntilHealthy(url, headers, child, output) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `civtag serve exited (${child.exitCode ?? child.signalCode}): ${output.text.slice(-600)}`,
      );
    }
    // A server bound with a token prints it (in its URL); use it once it appears.
    const token = output.text.match(/token=([0-9A-Za-z_-]{16,})/)?.[1];
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      const response = await fetch(`${url}/api/health`, { headers });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `civtag serve did not answer /api/health within ${READY_TIMEOUT_MS / 1000} s: ${output.text.slice(-600)}`,
  );
}

/**
 * Runs `civtag serve <datasetFolder>` on 127.0.0.1 and resolves once `/api/health` answers.
 * Returns `{ url, headers, stop() }`; `headers` carry the access token when the server prints one.
 * Throws ComponentMissing when the server is not built.
 */
export async function startCivtagServer(datasetFolder, { extraArguments = [] } = {}) {
  const cli = await requireFile('apps/server/dist/cli.js', 'the civtag server is not built');
  const port = await findFreePort();
  const child = spawn(
    process.execPath,
    [cli, 'serve', datasetFolder, '--host', '127.0.0.1', '--port', String(port), ...extraArguments],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  const output = { text: '' };
  const collect = (chunk) => {
    output.text = (output.text + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const headers = {};
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await once(child, 'exit');
    clearTimeout(timer);
  };
  try {
    await waitUntilHealthy(url, headers, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, headers, stop, output, pid: child.pid };
}
