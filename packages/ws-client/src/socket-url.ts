import { CivtagError, ErrorCode } from '@civtag/ws-protocol';
import type { ResolvedClientOptions } from './client-options.js';

/**
 * Calls the `url` option for one attempt. A url function that never settles (a token
 * request that hangs) must not stall the client, so it has `connectTimeoutMs` like the rest
 * of the attempt.
 *
 * @throws CivtagError `TIMEOUT` when it takes longer; whatever the url function throws.
 */
export async function resolveSocketUrl(options: ResolvedClientOptions): Promise<string> {
  const { connectTimeoutMs } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const message = `The url function gave no url within ${connectTimeoutMs} ms; retrying.`;
      reject(new CivtagError(ErrorCode.TIMEOUT, message));
    }, connectTimeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(options.url), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
