import { afterEach } from 'vitest';
import WebSocket from 'ws';
import {
  type CivtagClient,
  type ClientEvents,
  type ClientOptions,
  type ClientStatus,
  createClient,
} from '../src/index.js';

const open: CivtagClient[] = [];
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const client of open.splice(0)) client.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `cleanup` after the current test, last registered first. */
export function onCleanup(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}

/** A client with `ws` and short waits, closed after the test. */
export function testClient(
  options: Partial<ClientOptions> & Pick<ClientOptions, 'url'>,
): CivtagClient {
  const client = createClient({
    WebSocket,
    backoff: { initialMs: 20, maxMs: 100, factor: 2 },
    connectTimeoutMs: 2000,
    ...options,
  });
  open.push(client);
  return client;
}

/** Every event a client emits, in order, as `[name, payload]`. */
export function recordEvents(client: CivtagClient) {
  const events: { [Name in keyof ClientEvents]: [Name, ClientEvents[Name]] }[keyof ClientEvents][] =
    [];
  for (const name of ['status', 'welcome', 'change', 'progress', 'reload', 'error'] as const) {
    client.on(name, (payload) => events.push([name, payload] as never));
  }
  return {
    events,
    of<Name extends keyof ClientEvents>(name: Name): ClientEvents[Name][] {
      return events
        .filter((event) => event[0] === name)
        .map((event) => event[1] as ClientEvents[Name]);
    },
    statuses(): ClientStatus[] {
      return this.of('status').map((event) => event.status);
    },
  };
}

/** Resolves with the first `name` event that satisfies `accept`. */
export function nextEvent<Name extends keyof ClientEvents>(
  client: CivtagClient,
  name: Name,
  accept: (payload: ClientEvents[Name]) => boolean = () => true,
): Promise<ClientEvents[Name]> {
  return new Promise((resolve) => {
    const off = client.on(name, (payload) => {
      if (!accept(payload)) return;
      off();
      resolve(payload);
    });
  });
}

/** Resolves when the client's status becomes `status` (at once if it is already). */
export function untilStatus(client: CivtagClient, status: ClientStatus): Promise<unknown> {
  if (client.status === status) return Promise.resolve();
  return nextEvent(client, 'status', (event) => event.status === status);
}

/** Polls `condition` until it holds; the test's own timeout bounds the wait. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
