import { systemErrorCode } from './errors.js';

/** Options of {@link withRetry}. */
export interface RetryOptions {
  /** How many times to try again after the first failure. Default `5`. */
  retries?: number;
  /** The first delay; each retry doubles it, with random jitter, up to `maxDelayMs`. Default `50`. */
  baseDelayMs?: number;
  /** The longest delay between two tries. Default `2000`. */
  maxDelayMs?: number;
}

/** System errors that go away by themselves: a busy file, a full descriptor table. */
export const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'EBUSY',
  'EAGAIN',
  'EMFILE',
  'ENFILE',
]);

/** True when `error`, or an error in its `cause` chain, has a transient system code. */
export function isTransientError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth += 1) {
    const code = systemErrorCode(current);
    if (code !== undefined && TRANSIENT_ERROR_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The delay before retry number `attempt` (0-based): exponential, capped, half of it random. */
export function retryDelay(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * Runs `fn`, and runs it again after a growing, jittered delay while it fails with a transient
 * I/O error (`EBUSY`, `EAGAIN`, `EMFILE`, `ENFILE`, also when wrapped as a `cause`). Any other
 * error is thrown at once, untouched.
 *
 * @throws whatever `fn` threw last, unchanged, once the retries are used up.
 * @example
 * const bytes = await withRetry(() => readFile(file));
 */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 2000;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= retries || !isTransientError(error)) throw error;
      await new Promise((resolve) =>
        setTimeout(resolve, retryDelay(attempt, baseDelayMs, maxDelayMs)),
      );
    }
  }
}
