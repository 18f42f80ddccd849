import { describe, expect, it } from 'vitest';
import { FileError } from './errors.js';
import { retryDelay, withRetry } from './with-retry.js';

function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/** A function that fails with the given errors, one per call, then returns `'done'`. */
function failingWith(...errors: unknown[]) {
  let calls = 0;
  const fn = async () => {
    calls += 1;
    const error = errors[calls - 1];
    if (error !== undefined) throw error;
    return 'done';
  };
  return { fn, calls: () => calls };
}

describe('withRetry', () => {
  it.each(['EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE'])(
    'retries %s until the call succeeds',
    async (code) => {
      const flaky = failingWith(systemError(code), systemError(code));
      await expect(withRetry(flaky.fn, { baseDelayMs: 1 })).resolves.toBe('done');
      expect(flaky.calls()).toBe(3);
    },
  );

  it('retries a transient error wrapped as the cause of a civtag error', async () => {
    const wrapped = new FileError('IO_ERROR', 'Could not write', { cause: systemError('EBUSY') });
    const flaky = failingWith(wrapped);
    await expect(withRetry(flaky.fn, { baseDelayMs: 1 })).resolves.toBe('done');
    expect(flaky.calls()).toBe(2);
  });

  it.each(['ENOENT', 'EACCES', 'EIO', 'ENOSPC'])('throws %s at once, untouched', async (code) => {
    const error = systemError(code);
    const flaky = failingWith(error);
    await expect(withRetry(flaky.fn, { baseDelayMs: 1 })).rejects.toBe(error);
    expect(flaky.calls()).toBe(1);
  });

  it('gives up after the given number of retries with the last error', async () => {
    const errors = Array.from({ length: 5 }, () => systemError('EMFILE'));
    const flaky = failingWith(...errors);
    await expect(withRetry(flaky.fn, { retries: 3, baseDelayMs: 1 })).rejects.toBe(errors[3]);
    expect(flaky.calls()).toBe(4);
  });

  it('waits longer after each failure, with jitter, never past the cap', () => {
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const ceiling = Math.min(2000, 50 * 2 ** attempt);
      const delays = Array.from({ length: 50 }, () => retryDelay(attempt, 50, 2000));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(ceiling / 2);
      expect(Math.max(...delays)).toBeLessThanOrEqual(ceiling);
      expect(new Set(delays).size).toBeGreaterThan(1);
    }
  });
});
