import type { ErrorBody } from '@civtag/api-models';
import { CivtagError, ErrorCode, RETRYABLE_ERROR_CODES, toErrorBody } from '@civtag/api-models';

/**
 * The one table from a civtag error code to an HTTP status. The socket sends the same code in
 * its `reject` and `error` frames, and refuses an upgrade with the same status.
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  PROTOCOL: 400,
  PATH_OUTSIDE_ROOT: 403,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CANCELLED: 409,
  TOO_LARGE: 413,
  IMAGE_UNREADABLE: 422,
  IMAGE_TOO_LARGE: 422,
  SESSION_LOCKED: 423,
  SESSION_CORRUPT: 500,
  IO_ERROR: 500,
  DISK_FULL: 507,
  NOT_WRITABLE: 503,
  INTERNAL: 500,
  CLIENT_CLOSED: 500,
  SESSION_CLOSED: 503,
  SHUTTING_DOWN: 503,
  QUEUE_FULL: 503,
  TIMEOUT: 504,
};

/** Fastify's own errors (bad JSON, body too large…) carry a status; give them a civtag code. */
const CODE_BY_FRAMEWORK_STATUS: Readonly<Record<number, ErrorCode>> = {
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  408: ErrorCode.TIMEOUT,
  413: ErrorCode.TOO_LARGE,
  414: ErrorCode.TOO_LARGE,
  431: ErrorCode.TOO_LARGE,
  503: ErrorCode.SHUTTING_DOWN,
};

/** The code of a framework error: by its status, else `VALIDATION` for any other 4xx. */
function frameworkCode(status: number): ErrorCode | undefined {
  return CODE_BY_FRAMEWORK_STATUS[status] ?? (status < 500 ? ErrorCode.VALIDATION : undefined);
}

/** Seconds a client should wait before retrying a retryable error (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 2;

/** An error answer: its status, body and whether it may be retried. */
export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
  retryable: boolean;
}

function frameworkStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

/**
 * True for an `IO_ERROR` that says a service civtag depends on (the PostgreSQL database of
 * `--database`) cannot be reached now and civtag tries again (`details.retrying`): answered
 * 503, like a server that cannot serve for a while, rather than 500, a fault of its own.
 */
function isAway(error: CivtagError): boolean {
  return error.code === ErrorCode.IO_ERROR && error.details?.retrying === true;
}

/**
 * Turns anything thrown while answering into what the client sees. A civtag error keeps its
 * code and message; a framework error keeps its status; anything else is `INTERNAL` with no
 * detail leaked (the server logs it).
 */
export function toErrorAnswer(error: unknown): ErrorAnswer {
  if (CivtagError.isInstance(error)) {
    return {
      status: isAway(error) ? 503 : (HTTP_STATUS_BY_CODE[error.code] ?? 500),
      body: toErrorBody(error),
      retryable: RETRYABLE_ERROR_CODES.has(error.code),
    };
  }
  const status = frameworkStatus(error);
  const code = status === undefined ? undefined : frameworkCode(status);
  if (status !== undefined && code !== undefined) {
    const message = error instanceof Error ? error.message : 'The request was refused.';
    return { status, body: { error: { code, message } }, retryable: status === 503 };
  }
  return { status: 500, body: toErrorBody(error), retryable: false };
}

/** True for errors that are the client's doing (4xx): they are answered, not logged as faults. */
export function isClientError(answer: ErrorAnswer): boolean {
  return answer.status < 500;
}
