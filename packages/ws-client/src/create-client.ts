import type { CivtagClient } from './civtag-client.js';
import { type ClientOptions, resolveClientOptions } from './client-options.js';
import { SocketClient } from './socket-client.js';

/**
 * Creates a client and starts connecting (in a microtask, so listeners added right away see
 * the first `status` event). It reconnects with capped exponential back-off and full jitter,
 * notices dead connections with a heartbeat, keeps unacknowledged ops and resends them in
 * order with their ids after a reconnect, and catches up with `hello {since}`.
 *
 * @throws CivtagError `VALIDATION` for a bad option, or when there is no WebSocket constructor.
 * @example
 * const client = createClient({ url: 'ws://127.0.0.1:4747/ws' });
 * client.on('change', (change) => render(change));
 * await client.send({ type: 'add', target: { all: true }, tags: ['smile'] });
 */
export function createClient(options: ClientOptions): CivtagClient {
  return new SocketClient(resolveClientOptions(options));
}
