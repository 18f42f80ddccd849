import {
  CivtagError,
  DEFAULT_MAX_FRAME_BYTES,
  ErrorCode,
  HelloFrameSchema,
} from '@civtag/ws-protocol';
import { randomId } from './random-id.js';
import { refuseUnknownOptions } from './unknown-options.js';
import type { WebSocketConstructor } from './web-socket-like.js';

/** How long to wait between reconnect attempts. Each wait is drawn anew ("full jitter"). */
export interface BackoffOptions {
  /** The cap of the first wait, in ms. Default 1000. */
  initialMs?: number;
  /** No wait is longer than this, in ms. Default 30000. */
  maxMs?: number;
  /** Each failed attempt multiplies the cap by this. Default 2. */
  factor?: number;
}

/** Application-level ping/pong, because browsers cannot send WebSocket pings. */
export interface HeartbeatOptions {
  /** Send a `ping` this often while open, in ms. Default 20000. */
  intervalMs?: number;
  /** Drop the connection when nothing arrives this long after a `ping`, in ms. Default 10000. */
  timeoutMs?: number;
}

/** Bounds of the ops not yet acknowledged (queued offline and in flight together). */
export interface QueueOptions {
  /** Most ops. Default 10000. */
  maxOps?: number;
  /** Most bytes of encoded op frames. Default 8 MiB. */
  maxBytes?: number;
  /**
   * Most ops sent and not yet answered on one connection; the rest wait their turn, in order.
   * Keeps the resend after a reconnect from flooding a poor link or a restarted server. Default 100.
   */
  maxInFlight?: number;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The socket URL (`ws://host:4747/ws`), or a function that makes one per attempt (a fresh token). */
  url: string | (() => string | Promise<string>);
  /** The WebSocket constructor. Default `globalThis.WebSocket`; in Node before 22 pass `ws`'s. */
  WebSocket?: WebSocketConstructor;
  /** Identifies this client across reconnects; keep it to resend ops after a page reload. Default random. */
  clientId?: string;
  /** The last revision the app has (from `GET /api/images`); the server replays what came after. */
  since?: number;
  /** Reconnect waits. Defaults `{ initialMs: 1000, maxMs: 30000, factor: 2 }`. */
  backoff?: BackoffOptions;
  /** Give up an attempt when the server has not said `welcome` this long after it began, in ms. Default 10000. */
  connectTimeoutMs?: number;
  /** Dead-connection detection. Defaults `{ intervalMs: 20000, timeoutMs: 10000 }`. */
  heartbeat?: HeartbeatOptions;
  /** Bounds of the unacknowledged ops. Defaults `{ maxOps: 10000, maxBytes: 8 MiB, maxInFlight: 100 }`. */
  queue?: QueueOptions;
  /** The largest frame sent or accepted, in UTF-8 bytes. Default 1 MiB. */
  maxFrameBytes?: number;
}

/** Options with every default filled in. */
export interface ResolvedClientOptions {
  url: () => string | Promise<string>;
  urlIsFunction: boolean;
  WebSocket: WebSocketConstructor;
  clientId: string;
  since: number | undefined;
  backoff: Required<BackoffOptions>;
  connectTimeoutMs: number;
  heartbeat: Required<HeartbeatOptions>;
  queue: Required<QueueOptions>;
  maxFrameBytes: number;
}

/** Every option name, as a path into the options; typed so that none can be left out. */
const OPTION_PATHS = Object.keys({
  url: true,
  WebSocket: true,
  clientId: true,
  since: true,
  backoff: true,
  'backoff.initialMs': true,
  'backoff.maxMs': true,
  'backoff.factor': true,
  connectTimeoutMs: true,
  heartbeat: true,
  'heartbeat.intervalMs': true,
  'heartbeat.timeoutMs': true,
  queue: true,
  'queue.maxOps': true,
  'queue.maxBytes': true,
  'queue.maxInFlight': true,
  maxFrameBytes: true,
} satisfies Record<
  | keyof ClientOptions
  | `backoff.${keyof BackoffOptions}`
  | `heartbeat.${keyof HeartbeatOptions}`
  | `queue.${keyof QueueOptions}`,
  true
>);

function invalid(message: string): CivtagError {
  return new CivtagError(ErrorCode.VALIDATION, message);
}

// `new URL` rather than `URL.canParse`, which older browsers lack.
function isUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isFinite(result) || result <= 0) {
    throw invalid(`Client option ${name} must be a positive number of ms or items; got ${value}.`);
  }
  return result;
}

/**
 * Fills in defaults and checks the options.
 * @throws CivtagError `VALIDATION` for an unknown option name, a bad client id, number or a
 *   missing WebSocket constructor.
 */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  refuseUnknownOptions(options, OPTION_PATHS);
  const { url } = options;
  const WebSocket =
    options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (WebSocket === undefined) {
    throw invalid(
      'No WebSocket here: pass the `WebSocket` option (in Node, `WebSocket` from `ws`).',
    );
  }
  if (typeof url === 'string' && !isUrl(url)) {
    throw invalid(
      `Client option url ${JSON.stringify(url)} is not a URL; give one like ws://127.0.0.1:4747/ws.`,
    );
  }
  const clientId = options.clientId ?? randomId('c-');
  const hello = HelloFrameSchema.safeParse({ v: 1, type: 'hello', data: { clientId } });
  if (!hello.success) {
    throw invalid(
      `Client option clientId ${JSON.stringify(clientId)} ${hello.error.issues[0]?.message}.`,
    );
  }
  if (options.since !== undefined && !(Number.isInteger(options.since) && options.since >= 0)) {
    throw invalid(
      `Client option since must be a revision (an integer >= 0); got ${options.since}.`,
    );
  }
  const factor = options.backoff?.factor ?? 2;
  if (!(factor >= 1)) throw invalid(`Client option backoff.factor must be >= 1; got ${factor}.`);
  return {
    url: typeof url === 'function' ? url : () => url,
    urlIsFunction: typeof url === 'function',
    WebSocket,
    clientId,
    since: options.since,
    backoff: {
      initialMs: positive('backoff.initialMs', options.backoff?.initialMs, 1000),
      maxMs: positive('backoff.maxMs', options.backoff?.maxMs, 30_000),
      factor,
    },
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs, 10_000),
    heartbeat: {
      intervalMs: positive('heartbeat.intervalMs', options.heartbeat?.intervalMs, 20_000),
      timeoutMs: positive('heartbeat.timeoutMs', options.heartbeat?.timeoutMs, 10_000),
    },
    queue: {
      maxOps: positive('queue.maxOps', options.queue?.maxOps, 10_000),
      maxBytes: positive('queue.maxBytes', options.queue?.maxBytes, 8 * 1024 * 1024),
      maxInFlight: positive('queue.maxInFlight', options.queue?.maxInFlight, 100),
    },
    maxFrameBytes: positive('maxFrameBytes', options.maxFrameBytes, DEFAULT_MAX_FRAME_BYTES),
  };
}
