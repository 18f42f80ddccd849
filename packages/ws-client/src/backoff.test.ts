import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, shutdownDelay } from './backoff.js';

const backoff = { initialMs: 100, maxMs: 5000, factor: 2 };
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('reconnect waits', () => {
  it('draws each wait from zero up to a cap that grows by factor and stops at maxMs', () => {
    fc.assert(
      fc.property(fc.nat(60), unit, (attempt, draw) => {
        const cap = Math.min(5000, 100 * 2 ** attempt);
        const delay = backoffDelay(attempt, backoff, () => draw);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(cap);
      }),
    );
    expect(backoffDelay(0, backoff, () => 0.999)).toBe(99);
    expect(backoffDelay(3, backoff, () => 0.5)).toBe(400);
    expect(backoffDelay(40, backoff, () => 0.5)).toBe(2500);
  });

  it('never comes back before retryAfterMs after a shutdown, and spreads the clients after it', () => {
    fc.assert(
      fc.property(fc.nat(600_000), unit, (retryAfterMs, draw) => {
        const delay = shutdownDelay(retryAfterMs, backoff, () => draw);
        expect(delay).toBeGreaterThanOrEqual(retryAfterMs);
        expect(delay).toBeLessThanOrEqual(retryAfterMs + Math.max(100, retryAfterMs / 2) + 1);
      }),
    );
    expect(shutdownDelay(2000, backoff, () => 0.5)).toBe(2500);
    expect(shutdownDelay(0, backoff, () => 0.5)).toBe(50);
  });
});
