// A real PostgreSQL server for tests: Debian's server binaries, a cluster made with initdb in a
// temporary folder as the `postgres` user (initdb and postgres refuse to run as root), listening
// on 127.0.0.1 on a free port, stopped and removed afterwards. Where the binaries or the user are
// missing the call throws with what to install; a test never skips silently.
import { execFile, spawn } from 'node:child_process';
import { access, chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const INSTALL =
  "install Debian's postgresql package: apt-get install -y --no-install-recommends postgresql";
const DATABASE = 'civtag_test';
const READY_ATTEMPTS = 300;
const READY_PAUSE_MS = 100;

/** The newest `/usr/lib/postgresql/<n>/bin` holding `initdb`, else the folder of `initdb` on PATH. */
export async function findPostgresBinaries() {
  const root = '/usr/lib/postgresql';
  const versions = await readdir(root).catch(() => []);
  versions.sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(root, version, 'bin');
    if (await exists(path.join(bin, 'initdb'))) return bin;
  }
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    if (folder !== '' && (await exists(path.join(folder, 'initdb')))) return folder;
  }
  throw new Error(
    `No PostgreSQL server binaries (initdb) in ${root}/*/bin or on PATH: ${INSTALL}. ` +
      'The tests of @civtag/session-postgres start a real server and cannot run without it.',
  );
}

async function exists(file) {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** The uid and gid of the `postgres` user, which the package creates. */
async function postgresUser() {
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid };
  } catch {
    // Reported below.
  }
  throw new Error(
    `There is no "postgres" user to run the test server as (initdb refuses to run as root): ${INSTALL}, which creates it.`,
  );
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary as the `postgres` user; rejects with its output. */
async function runAs(user, bin, name, args, env) {
  try {
    return await run(path.join(bin, name), args, { uid: user.uid, gid: user.gid, env });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    throw new Error(`${name} ${args.join(' ')} failed: ${output || error.message}`);
  }
}

/** Starts and controls a PostgreSQL server in a new temporary folder. */
export async function startPostgres() {
  const bin = await findPostgresBinaries();
  const user = await postgresUser();
  const folder = await mkdtemp(path.join(tmpdir(), 'civtag-postgres-'));
  await chown(folder, user.uid, user.gid);
  const dataDir = path.join(folder, 'data');
  const logFile = path.join(folder, 'server.log');
  const port = await freePort();
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', HOME: folder };
  let server;
  let removed = false;

  const log = async () => (await readFile(logFile, 'utf8').catch(() => '')).trim().slice(-2000);

  const running = () =>
    server !== undefined && server.exitCode === null && server.signalCode === null;

  const startServer = async () => {
    if (running()) return;
    const { openSync, closeSync } = await import('node:fs');
    const out = openSync(logFile, 'a');
    await chown(logFile, user.uid, user.gid).catch(() => undefined);
    server = spawn(
      path.join(bin, 'postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-k',
        folder,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=on',
        '-c',
        'max_connections=100',
      ],
      { uid: user.uid, gid: user.gid, env, detached: true, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.exited = exited;
    for (let attempt = 0; attempt < READY_ATTEMPTS; attempt += 1) {
      if (server.exitCode !== null || server.signalCode !== null) break;
      try {
        await run(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-t', '1']);
        return;
      } catch {
        await sleep(READY_PAUSE_MS);
      }
    }
    throw new Error(`The test PostgreSQL server on port ${port} did not start:\n${await log()}`);
  };

  const killServer = async () => {
    if (!running()) return;
    try {
      // The whole process group: the postmaster and its backends, as a crash of the machine.
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await server.exited;
    // Backends notice the postmaster's death by themselves; wait until none is left.
    for (let attempt = 0; attempt < READY_ATTEMPTS; attempt += 1) {
      try {
        process.kill(-server.pid, 0);
      } catch {
        return;
      }
      await sleep(READY_PAUSE_MS / 4);
    }
  };

  const stopServer = async () => {
    if (!running()) return;
    try {
      await runAs(
        user,
        bin,
        'pg_ctl',
        ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'],
        env,
      );
    } catch {
      await killServer();
    }
    await server.exited;
  };

  try {
    await runAs(
      user,
      bin,
      'initdb',
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      env,
    );
    await startServer();
    await runAs(
      user,
      bin,
      'createdb',
      ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', DATABASE],
      env,
    );
  } catch (error) {
    await killServer().catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
    throw error;
  }

  return {
    url: `postgres://postgres@127.0.0.1:${port}/${DATABASE}`,
    host: '127.0.0.1',
    port,
    dataDir,
    start: startServer,
    stopServer,
    async restart() {
      await stopServer();
      await startServer();
    },
    kill: killServer,
    async stop() {
      if (removed) return;
      removed = true;
      await stopServer().catch(() => killServer());
      await rm(folder, { recursive: true, force: true });
    },
  };
}
