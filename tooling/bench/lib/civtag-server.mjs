// Starts the built civtag server (`apps/server/dist/cli.js serve --port 0 --json`) on loopback as
// a child process, as a user would run it, and stops it again with SIGTERM (graceful shutdown).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { requireFile } from './civtag-packages.mjs';

const READY_TIMEOUT_MS = 180_000;

function readAddress(child, output) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `civtag serve printed no address within ${READY_TIMEOUT_MS / 1000} s: ${output.text.slice(-400)}`,
          ),
        ),
      READY_TIMEOUT_MS,
    );
    const onExit = (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`civtag serve exited (${code ?? signal}): ${output.text.slice(-600)}`));
    };
    child.once('exit', onExit);
    let pending = '';
    child.stdout.on('data', (chunk) => {
      pending += chunk.toString();
      for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n')) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (!line.startsWith('{')) continue;
        try {
          const address = JSON.parse(line);
          if (typeof address.url !== 'string') continue;
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(address);
        } catch {
          // Not the address line.
        }
      }
    });
  });
}

/**
 * Runs `civtag serve <datasetFolder>` on 127.0.0.1 with a free port and resolves once it listens.
 * Returns `{ url, port, headers, stop() }`; `headers` carry the access token when there is one.
 * `cli` runs another build of the server (a probe comparing two builds); by default the
 * worktree's. Throws ComponentMissing when the server is not built.
 */
export async function startCivtagServer(datasetFolder, { extraArguments = [], cli } = {}) {
  cli ??= await requireFile('apps/server/dist/cli.js', 'the civtag server is not built');
  const child = spawn(
    process.execPath,
    [
      cli,
      'serve',
      datasetFolder,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--json',
      ...extraArguments,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  const output = { text: '' };
  const collect = (chunk) => {
    output.text = (output.text + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await once(child, 'exit');
    clearTimeout(timer);
  };
  let address;
  try {
    address = await readAddress(child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  const url = address.url.replace(/\/$/, '');
  const headers = address.token ? { authorization: `Bearer ${address.token}` } : {};
  return {
    url,
    port: address.port,
    token: address.token ?? null,
    headers,
    stop,
    output,
    pid: child.pid,
  };
}
