import type { BackoffOptions } from './client-options.js';

/**
 * The wait before reconnect attempt `attempt` (0 for the first after a loss): a uniformly
 * random share of `min(maxMs, initialMs * factor ** attempt)`. Drawing it anew for every attempt
 * ("full jitter") spreads the clients of a restarted server instead of bunching them.
 */
export function backoffDelay(
  attempt: number,
  backoff: Required<BackoffOptions>,
  random: () => number = Math.random,
): number {
  const cap = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** attempt);
  return Math.floor(random() * cap);
}

/**
 * The wait after a `shutdown` frame: never less than `retryAfterMs`, plus a random share of
 * `max(initialMs, retryAfterMs / 2)` so that the clients of one server do not all return at once.
 */
export function shutdownDelay(
  retryAfterMs: number,
  backoff: Required<BackoffOptions>,
  random: () => number = Math.random,
): number {
  const spread = Math.max(backoff.initialMs, retryAfterMs / 2);
  return retryAfterMs + Math.ceil(random() * spread);
}
