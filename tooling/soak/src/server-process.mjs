// The server under test: `node dist/cli.js serve` as a child process with the event-loop probe
// loaded, killed with SIGKILL and started again on the same port. Each start is a "lifetime".
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root, found from this file (tooling/soak/src). */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The bundled command line that `pnpm build` makes. */
export const cliPath = path.join(repositoryRoot, 'apps/server/dist/cli.js');
const probeUrl = pathToFileURL(fileURLToPath(new URL('./event-loop-probe.mjs', import.meta.url)));

/**
 * Starts `civtag serve <dataset> --port <port> --import-root <importRoot> --json` and resolves
 * once it printed that it listens: `{ child, pid, port, startedAt, probeFile, exited }`. Its
 * output goes to `logFile`. Rejects when it exits first or is not listening within `timeoutMs`.
 */
export async function startServer({
  dataset,
  port,
  importRoot,
  workDir,
  logFile,
  probeEveryMs,
  lifetime,
}) {
  const probeFile = path.join(workDir, `probe-${lifetime}.jsonl`);
  const child = spawn(
    process.execPath,
    [
      '--import',
      probeUrl.href,
      cliPath,
      'serve',
      dataset,
      '--port',
      String(port),
      '--import-root',
      importRoot,
      '--json',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        CIVTAG_SOAK_PROBE_FILE: probeFile,
        CIVTAG_SOAK_PROBE_EVERY_MS: String(probeEveryMs),
      },
    },
  );
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`--- lifetime ${lifetime}, pid ${child.pid}, ${new Date().toISOString()}\n`);
  const stderrLines = [];
  child.stderr.on('data', (chunk) => {
    log.write(chunk);
    stderrLines.push(String(chunk));
  });
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      log.end(`--- exit ${code ?? signal}\n`);
      resolve({ code, signal });
    }),
  );
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`civtag serve did not listen within 60 s:\n${stderrLines.join('')}`));
    }, 60_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `civtag serve exited (${code ?? signal}) before listening:\n${stderrLines.join('')}`,
        ),
      );
    });
  });
  lines.on('line', (line) => log.write(`${line}\n`));
  const ready = JSON.parse(first);
  return {
    child,
    pid: child.pid,
    port: ready.port,
    startedAt: Date.now(),
    probeFile,
    exited,
    stderr: () => stderrLines.join(''),
  };
}

/** SIGKILLs the server (if still running) and waits until it is gone. */
export async function killServer(server) {
  if (server.child.exitCode === null && server.child.signalCode === null)
    server.child.kill('SIGKILL');
  return server.exited;
}

/** SIGTERMs the server and waits for its exit (SIGKILL after `graceMs`); resolves the exit. */
export async function stopServer(server, graceMs = 30_000) {
  if (server.child.exitCode === null && server.child.signalCode === null)
    server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
  const result = await server.exited;
  clearTimeout(timer);
  return result;
}
