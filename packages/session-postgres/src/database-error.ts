import { CivtagError } from '@civtag/api-models';
import { SessionError } from '@civtag/session';

/** Error codes of a connection that could not be made or was lost: the database is away. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, connection_exception…
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** True when `error` says the database cannot be reached now (down, restarting, unreachable). */
export function isUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(
      message,
    )
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The error of a database operation: a database that cannot be reached is `IO_ERROR` naming
 * `host:port`, saying what became of the work (`outcome`) and that civtag tries again
 * (`details: { host, port, retrying: true }`); a civtag error passes as it is; anything else is
 * `IO_ERROR` with PostgreSQL's code.
 */
export function databaseError(
  what: string,
  error: unknown,
  outcome: string,
  address: { host: string; port: number },
): CivtagError {
  if (CivtagError.isInstance(error)) return error;
  const where = `${address.host}:${address.port}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (isUnavailable(error)) {
    return new SessionError(
      'IO_ERROR',
      `${what}: the PostgreSQL database at ${where} cannot be reached (${describe(error)}). ` +
        `${outcome} civtag tries again; start the database, or check the address it was given.`,
      {
        cause: error,
        details: {
          host: address.host,
          port: address.port,
          retrying: true,
          systemCode: code ?? null,
        },
      },
    );
  }
  return new SessionError(
    'IO_ERROR',
    `${what} failed on the PostgreSQL database at ${where} (${describe(error)}). ${outcome}`.trimEnd(),
    {
      cause: error,
      details: {
        host: address.host,
        port: address.port,
        retrying: false,
        systemCode: code ?? null,
      },
    },
  );
}
