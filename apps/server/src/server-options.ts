import type { Dataset, ImageTagger } from '@civtag/core';
import type { VocabularyEntry } from '@civtag/tags';
import type { FastifyInstance } from 'fastify';
import type { SocketHubOptions } from './socket/socket-hub.js';

/** Options of {@link createServer}. */
export interface CreateServerOptions {
  /** The open dataset to serve. The server closes it when it shuts down (see `closeDataset`). */
  dataset: Dataset;
  /** The address to bind. Default `127.0.0.1`; any non-loopback address requires a token. */
  host?: string;
  /** The access token. Generated when a token is required and none is given. */
  token?: string;
  /** Require a token even on a loopback address (as if exposed). Default: only off loopback. */
  requireToken?: boolean;
  /** More names the `Host` header may carry (`--allow-host`). */
  allowHosts?: readonly string[];
  /** More origins that may open the socket and change state, such as a development server's. */
  allowOrigins?: readonly string[];
  /** Folders the browser may import from (`--import-root`); none: imports only from the CLI. */
  importRoots?: readonly string[];
  /**
   * The auto-tagger the browser may run (`POST /api/autotag`), such as `loadTagger(dir)` of
   * `@civtag/autotag`. The server does not close it. Default none: auto-tagging is refused.
   */
  tagger?: ImageTagger;
  /** Tag vocabulary for autocompletion, served at `GET /api/vocabulary`. Default none. */
  vocabulary?: readonly VocabularyEntry[];
  /** The built web app's folder. Default: found beside the bundle or in `apps/web/dist`. */
  webRoot?: string;
  /** Close the dataset on shutdown (compact and release its lock). Default `true`. */
  closeDataset?: boolean;
  /** Bytes of thumbnails kept in memory. Default 64 MiB. */
  thumbnailCacheBytes?: number;
  /** Socket tunables: frame limit, slow-reader bound, hello timeout, heartbeat. */
  socket?: Pick<
    SocketHubOptions,
    'maxFrameBytes' | 'maxBufferedBytes' | 'helloTimeoutMs' | 'heartbeatMs'
  >;
  /** Log as JSON lines (pino) on standard error: `true` logs every request, a level logs from that level up. Default off. */
  logger?: boolean | 'error' | 'warn' | 'info';
}

/** Options of a graceful shutdown. */
export interface CloseOptions {
  /** Told to every client in the `shutdown` frame. Default "civtag is shutting down". */
  reason?: string;
  /** How long clients should wait before reconnecting. Default 2000 ms. */
  retryAfterMs?: number;
  /**
   * How long to wait for a running auto-tag job to stop (it finishes the batch in inference and
   * journals it) before closing without it; a later job scores that batch. Default 20,000 ms.
   */
  autoTagGraceMs?: number;
}

/** A civtag server: the HTTP API, the socket and the web app over one dataset. */
export interface CivtagServer {
  readonly app: FastifyInstance;
  /** The access token, when one is required. */
  readonly token: string | undefined;
  /** Starts listening; `port` 0 picks a free port. Resolves with the URL to open (with `?token=`). */
  listen(options?: { port?: number }): Promise<{ url: string; port: number; host: string }>;
  /** The number of open sockets. */
  readonly clientCount: number;
  /**
   * Shuts down gracefully (DESIGN §7): new requests get 503, the ops in flight finish, every
   * client gets `shutdown` and a 1001 close, the HTTP server closes, the dataset is closed
   * (compacted, lock released). Calling it again returns the same promise.
   */
  close(options?: CloseOptions): Promise<void>;
}
