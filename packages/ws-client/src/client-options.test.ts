import { CivtagError } from '@civtag/ws-protocol';
import { describe, expect, it } from 'vitest';
import { type ClientOptions, resolveClientOptions } from './client-options.js';
import { createClient } from './create-client.js';
import type { WebSocketConstructor } from './web-socket-like.js';

// Never constructed: these tests stop at the options.
const WebSocket = class {} as unknown as WebSocketConstructor;

function refusal(options: Parameters<typeof resolveClientOptions>[0]): CivtagError {
  try {
    resolveClientOptions(options);
  } catch (error) {
    if (CivtagError.isInstance(error)) return error;
    throw error;
  }
  throw new TypeError('expected the options to be refused');
}

describe('client options', () => {
  it('fills in the documented defaults', () => {
    const options = resolveClientOptions({ url: 'ws://localhost/ws', WebSocket });

    expect(options).toMatchObject({
      urlIsFunction: false,
      backoff: { initialMs: 1000, maxMs: 30_000, factor: 2 },
      connectTimeoutMs: 10_000,
      heartbeat: { intervalMs: 20_000, timeoutMs: 10_000 },
      queue: { maxOps: 10_000, maxBytes: 8 * 1024 * 1024, maxInFlight: 100 },
      maxFrameBytes: 1024 * 1024,
      since: undefined,
    });
    expect(options.clientId).toMatch(/^c-[a-z0-9]{18}$/);
    expect(options.url()).toBe('ws://localhost/ws');
  });

  it('makes a different client id for each client', () => {
    const ids = new Set(
      Array.from(
        { length: 50 },
        () => resolveClientOptions({ url: 'ws://x/ws', WebSocket }).clientId,
      ),
    );
    expect(ids.size).toBe(50);
  });

  it('refuses bad options with VALIDATION and a message naming the option', () => {
    const url = 'ws://localhost/ws';
    expect(refusal({ url: '/ws', WebSocket }).message).toBe(
      'Client option url "/ws" is not a URL; give one like ws://127.0.0.1:4747/ws.',
    );
    expect(refusal({ url, WebSocket, clientId: 'has space' }).message).toMatch(
      /^Client option clientId "has space" must be/,
    );
    expect(refusal({ url, WebSocket, since: -1 }).message).toContain('since');
    expect(refusal({ url, WebSocket, backoff: { factor: 0.5 } }).message).toContain(
      'backoff.factor',
    );
    expect(refusal({ url, WebSocket, queue: { maxOps: 0 } }).message).toContain('queue.maxOps');
    expect(refusal({ url, WebSocket, heartbeat: { timeoutMs: Number.NaN } }).code).toBe(
      'VALIDATION',
    );
  });

  it('refuses an option name it does not know, naming it and the one meant', () => {
    const url = 'ws://localhost/ws';
    // A typo must not silently drop the queue bound: createClient itself refuses it.
    const typo = { url, WebSocket, maxQueue: 50 } as ClientOptions;
    expect(() => createClient(typo)).toThrow(CivtagError);
    expect(refusal(typo)).toMatchObject({ code: 'VALIDATION' });
    expect(refusal(typo).message).toMatch(/^Unknown client option maxQueue; did you mean queue\?/);
    expect(refusal({ url, WebSocket, queue: { maxOp: 5 } } as ClientOptions).message).toMatch(
      /^Unknown client option queue\.maxOp; did you mean queue\.maxOps\?/,
    );
    expect(refusal({ url, WebSocket, maxOps: 5 } as ClientOptions).message).toMatch(
      /did you mean queue\.maxOps\?/,
    );
    expect(refusal({ url, WebSocket, websocket: WebSocket } as ClientOptions).message).toMatch(
      /did you mean WebSocket\?/,
    );
    expect(refusal({ url, WebSocket, heartbeat: { everyMs: 5 } } as ClientOptions).message).toBe(
      'Unknown client option heartbeat.everyMs; the options of heartbeat are intervalMs, timeoutMs.',
    );
  });

  it('asks for a WebSocket constructor where there is no global one', () => {
    const global = globalThis as { WebSocket?: unknown };
    const before = global.WebSocket;
    global.WebSocket = undefined;
    try {
      expect(refusal({ url: 'ws://localhost/ws' }).message).toContain(
        'pass the `WebSocket` option',
      );
    } finally {
      global.WebSocket = before;
    }
  });
});
