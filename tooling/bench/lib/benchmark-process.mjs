// Runs one benchmark module in a child process (lib/benchmark-child.mjs) with a time limit, and
// kills the child's whole process group afterwards, so that no server or client outlives it.
import { fork } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchFolder = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repositoryRoot = resolve(benchFolder, '../..');

let running = null;

function stopProcessGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The title a benchmark module declares, or its id when it does not load. */
export async function titleOf(id) {
  try {
    return (
      (await import(pathToFileURL(join(benchFolder, 'benchmarks', `${id}.mjs`)).href)).title ?? id
    );
  } catch {
    return id;
  }
}

/**
 * Runs benchmark `id` in a child process that leads its own process group, and resolves its
 * section. After `limitSeconds` the group is killed and the section says so; `shareSeconds`
 * becomes the benchmark's `profile.deadline`, past which it starts no further run.
 */
export async function runBenchmark(id, profile, workFolder, { limitSeconds, shareSeconds }) {
  const modulePath = join(benchFolder, 'benchmarks', `${id}.mjs`);
  const title = await titleOf(id);
  const child = fork(
    join(benchFolder, 'lib', 'benchmark-child.mjs'),
    [
      modulePath,
      JSON.stringify({ ...profile, deadline: Date.now() + shareSeconds * 1000 }),
      join(workFolder, id),
    ],
    { cwd: repositoryRoot, detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  running = child;
  return new Promise((resolvePromise) => {
    let section = null;
    const timer = setTimeout(() => {
      section = {
        id,
        title,
        failure: `stopped after ${Math.round(limitSeconds)} s, the time left to it in the ${profile.name} profile`,
        rows: [],
      };
      stopProcessGroup(child);
    }, limitSeconds * 1000);
    child.on('message', (message) => {
      section ??= message.section;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // Whatever the benchmark started (servers, clients) goes with its process group.
      stopProcessGroup(child);
      running = null;
      resolvePromise(
        section ?? {
          id,
          title,
          failure: `benchmark process ended (${signal ?? code})`,
          rows: [],
        },
      );
    });
  });
}

/** Kills the benchmark running now, if any, with its process group (on Ctrl+C). */
export function stopRunningBenchmark() {
  if (running) stopProcessGroup(running);
}
