import { describe, expect, it } from 'vitest';
import { CivtagError, ErrorCode, fileSystemErrorCode, toErrorBody } from './errors.js';

describe('CivtagError', () => {
  it('carries a stable code, a message, details and the cause', () => {
    const cause = new Error('EACCES: permission denied');
    const error = new CivtagError(ErrorCode.IO_ERROR, 'Cannot write sakura_0001.txt', {
      cause,
      details: { file: 'sakura_0001.txt' },
    });
    expect(error.code).toBe('IO_ERROR');
    expect(error.message).toBe('Cannot write sakura_0001.txt');
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ file: 'sakura_0001.txt' });
    expect(error).toBeInstanceOf(Error);
  });

  it('is recognised across two copies of the package', async () => {
    // A second module instance stands for a second installed copy of @civtag/api-models.
    const secondCopy = './errors.js?second-copy';
    const copy = (await import(/* @vite-ignore */ secondCopy)) as typeof import('./errors.js');
    expect(copy.CivtagError).not.toBe(CivtagError);
    const foreign = new copy.CivtagError(ErrorCode.NOT_FOUND, 'No image with id "x"');
    expect(foreign instanceof CivtagError).toBe(false);
    expect(CivtagError.isInstance(foreign)).toBe(true);
    expect(CivtagError.hasCode(foreign, ErrorCode.NOT_FOUND)).toBe(true);
    expect(CivtagError.hasCode(foreign, ErrorCode.CONFLICT)).toBe(false);
  });

  it('does not mistake look-alikes for civtag errors', () => {
    expect(CivtagError.isInstance(new Error('x'))).toBe(false);
    expect(CivtagError.isInstance({ code: 'NOT_FOUND', message: 'x' })).toBe(false);
    expect(CivtagError.isInstance(null)).toBe(false);
    expect(CivtagError.isInstance('NOT_FOUND')).toBe(false);
  });
});

describe('toErrorBody', () => {
  it('keeps the code, message and details of a civtag error', () => {
    const error = new CivtagError(ErrorCode.VALIDATION, 'Bad tag', {
      details: { field: 'tags[0]' },
    });
    expect(toErrorBody(error)).toEqual({
      error: { code: 'VALIDATION', message: 'Bad tag', details: { field: 'tags[0]' } },
    });
  });

  it('hides the message of an unexpected error', () => {
    const body = toErrorBody(new TypeError('secret internal path /home/me/x'));
    expect(body).toEqual({ error: { code: 'INTERNAL', message: 'An unexpected error occurred.' } });
  });
});

describe('fileSystemErrorCode', () => {
  it.each([
    ['ENOSPC', 'DISK_FULL'],
    ['EDQUOT', 'DISK_FULL'],
    ['EROFS', 'NOT_WRITABLE'],
    ['EACCES', 'NOT_WRITABLE'],
    ['EPERM', 'NOT_WRITABLE'],
    ['EIO', 'IO_ERROR'],
    [undefined, 'IO_ERROR'],
  ])('maps %s to %s', (systemCode, code) => {
    expect(fileSystemErrorCode(systemCode)).toBe(code);
  });
});
