/** A PostgreSQL server started for one test file, in a temporary folder of its own. */
export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/civtag_test`: trust authentication, test use only. */
  readonly url: string;
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The cluster's data folder (owned by the `postgres` user). */
  readonly dataDir: string;
  /** Stops the server (fast shutdown) and removes its folder; safe to call twice. */
  stop(): Promise<void>;
  /** Stops the server (fast shutdown) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Kills the server and its backends with SIGKILL, leaving the data as a crash does. */
  kill(): Promise<void>;
  /**
   * Starts a server that was killed or stopped with `stopServer`, on the same port and data;
   * nothing when it runs.
   */
  start(): Promise<void>;
  /** Stops the server (fast shutdown) and keeps its data, to `start` it again later. */
  stopServer(): Promise<void>;
}

/**
 * Creates a cluster with `initdb` as the `postgres` user in a new temporary folder, starts it on
 * 127.0.0.1 and a free port with `fsync=on`, waits until it accepts connections and creates the
 * database `civtag_test`. Throws, saying what to install, where Debian's PostgreSQL server
 * binaries or the `postgres` user are missing: a test never skips silently.
 */
export function startPostgres(): Promise<TestPostgres>;

/** The folder of the PostgreSQL server binaries used (newest `/usr/lib/postgresql/<n>/bin`, or PATH). */
export function findPostgresBinaries(): Promise<string>;
