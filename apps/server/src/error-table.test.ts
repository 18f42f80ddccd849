import { CivtagError, ErrorCode } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { HTTP_STATUS_BY_CODE, toErrorAnswer } from './error-table.js';

describe('the error table', () => {
  it('gives every error code a status', () => {
    for (const code of Object.values(ErrorCode))
      expect(HTTP_STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
  });

  it('answers a civtag error with its code, message and status, and says when to retry', () => {
    const answer = toErrorAnswer(
      new CivtagError(ErrorCode.SESSION_LOCKED, 'locked by pid 7', { details: { pid: 7 } }),
    );
    expect(answer).toEqual({
      status: 423,
      body: { error: { code: 'SESSION_LOCKED', message: 'locked by pid 7', details: { pid: 7 } } },
      retryable: true,
    });
    expect(toErrorAnswer(new CivtagError(ErrorCode.PATH_OUTSIDE_ROOT, 'no')).status).toBe(403);
  });

  it('answers 503 for a database that cannot be reached now (civtag tries again), 500 for other I/O faults', () => {
    const away = new CivtagError(ErrorCode.IO_ERROR, 'the database at db:5432 cannot be reached', {
      details: { host: 'db', port: 5432, retrying: true },
    });
    expect(toErrorAnswer(away)).toMatchObject({ status: 503, retryable: true });
    const broken = new CivtagError(ErrorCode.IO_ERROR, 'the query failed', {
      details: { host: 'db', port: 5432, retrying: false },
    });
    expect(toErrorAnswer(broken)).toMatchObject({ status: 500 });
  });

  it('hides the message of an unexpected error', () => {
    const answer = toErrorAnswer(new Error('/home/me/secret.txt: EACCES'));
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('secret');
  });

  it('keeps the status of a framework error (a body over the limit)', () => {
    const error = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    expect(toErrorAnswer(error)).toMatchObject({
      status: 413,
      body: { error: { code: 'TOO_LARGE' } },
    });
  });
});
