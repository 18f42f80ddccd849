import { createHash } from 'node:crypto';
import type { CivtagError } from '@civtag/api-models';
import { SessionError, type StoreLease } from '@civtag/session/store';
import pg from 'pg';

/** The two 32-bit keys of the advisory lock of `name`, from its sha256. */
export function advisoryKeys(name: string): [number, number] {
  const digest = createHash('sha256').update(name).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

/** A lease on an advisory lock, whose connection runs statements only its holder may run. */
export interface AdvisoryLease extends StoreLease {
  /** Runs `sql` on the lease's connection; fails (and the lease is lost) when it is gone. */
  query(sql: string, values: unknown[]): Promise<void>;
}

/**
 * Tries to take the session-level advisory lock of `name` on a connection of its own, which
 * holds it for as long as it lives: PostgreSQL releases it when the connection ends, so a
 * server that dies or loses the database loses the lease, and another can take it. The
 * connection is checked every `checkIntervalMs`; when it fails the lease is lost.
 *
 * @returns the lease, or `undefined` when another connection holds the lock.
 */
export async function tryAdvisoryLease(
  connection: pg.ClientConfig,
  name: string,
  checkIntervalMs: number,
  where: string,
): Promise<AdvisoryLease | undefined> {
  const client = new pg.Client({
    ...connection,
    application_name: 'civtag-lease',
    keepAlive: true,
  });
  const keys = advisoryKeys(name);
  const listeners = new Set<(error: CivtagError) => void>();
  let held = false;
  let timer: NodeJS.Timeout | undefined;
  const lose = (why: string) => {
    if (!held) return;
    held = false;
    clearInterval(timer);
    client.end().catch(() => undefined);
    const error = new SessionError(
      'SESSION_LOCKED',
      `The lease ${name} on the PostgreSQL database at ${where} was lost (${why}): another ` +
        'server may take it now. Stop writing what it guards, and take it again.',
      { details: { pid: null, host: null, startedAt: null } },
    );
    for (const listener of listeners) listener(error);
  };
  client.on('error', (error) => lose(error.message));
  client.on('end', () => lose('the connection ended'));
  await client.connect();
  let taken: boolean;
  try {
    const result = await client.query<{ taken: boolean }>(
      'SELECT pg_try_advisory_lock($1, $2) AS taken',
      keys,
    );
    taken = result.rows[0]?.taken === true;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  if (!taken) {
    await client.end().catch(() => undefined);
    return undefined;
  }
  held = true;
  timer = setInterval(() => {
    client.query('SELECT 1').catch((error: Error) => lose(error.message));
  }, checkIntervalMs);
  timer.unref();
  return {
    get held() {
      return held;
    },
    onLost(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async query(sql, values) {
      if (!held) throw new Error(`the lease ${name} is no longer held`);
      try {
        await client.query(sql, values);
      } catch (error) {
        lose(error instanceof Error ? error.message : String(error));
        throw error;
      }
    },
    async release() {
      if (!held) return;
      held = false;
      clearInterval(timer);
      await client.query('SELECT pg_advisory_unlock($1, $2)', keys).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
