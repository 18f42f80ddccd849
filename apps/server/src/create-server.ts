import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Limits } from '@civtag/api-models';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { createAutoTagRunner } from './auto-tag-runner.js';
import { installAccessHook } from './http/access-hook.js';
import { installBodyLimit } from './http/body-limit.js';
import { answerClientError } from './http/client-error.js';
import { installErrorHandler } from './http/error-handler.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { createOpRunner } from './op-runner.js';
import { registerAutoTagRoutes } from './routes/auto-tag-routes.js';
import { registerExportRoutes } from './routes/export-routes.js';
import { registerImageFileRoutes } from './routes/image-file-routes.js';
import { registerImportRoutes } from './routes/import-routes.js';
import { registerOpRoutes } from './routes/op-routes.js';
import { registerReadRoutes } from './routes/read-routes.js';
import type { RouteContext } from './routes/route-context.js';
import { findWebRoot, registerWebAppRoutes } from './routes/web-app-routes.js';
import { createAccessPolicy } from './security/access-policy.js';
import { generateAccessToken } from './security/access-token.js';
import { formatHostName, isLoopbackHost, isWildcardHost } from './security/allowed-hosts.js';
import type { CivtagServer, CloseOptions, CreateServerOptions } from './server-options.js';
import { SERVER_VERSION } from './server-version.js';
import { createSocketHub } from './socket/socket-hub.js';
import { ThumbnailCache } from './thumbnail-cache.js';

const moduleDirectory = path.dirname(fileURLToPath(import.meta.url));

/** How long requests still running (a long export) may take before their connections are cut. */
const REQUEST_GRACE_MS = 5000;
/** How long a shutdown waits for a tagging job to finish the batch in inference. */
const AUTO_TAG_GRACE_MS = 20_000;

/** Closes the HTTP server; connections still busy after the grace period are cut. */
async function closeHttp(app: FastifyInstance): Promise<void> {
  const timer = setTimeout(() => app.server.closeAllConnections(), REQUEST_GRACE_MS);
  timer.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Builds the civtag server over an open dataset. Nothing listens until `listen`.
 *
 * @example
 * const server = await createServer({ dataset: await openDataset('my-dataset') });
 * const { url } = await server.listen({ port: 4747 });
 */
export async function createServer(options: CreateServerOptions): Promise<CivtagServer> {
  const { dataset } = options;
  const host = options.host ?? '127.0.0.1';
  const tokenRequired = options.requireToken === true || !isLoopbackHost(host);
  const token = options.token ?? (tokenRequired ? generateAccessToken() : undefined);
  let port = 0;
  let shuttingDown = false;
  let closing: Promise<void> | undefined;

  const app = Fastify({
    // Logs go to standard error: standard output is the command line's (its --json result).
    logger:
      options.logger === undefined || options.logger === false
        ? false
        : { level: options.logger === true ? 'info' : options.logger, stream: process.stderr },
    bodyLimit: Limits.bodyBytes,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
  });
  const policy = createAccessPolicy({
    bindHost: host,
    port: () => port,
    token,
    allowHosts: options.allowHosts ?? [],
    allowOrigins: options.allowOrigins ?? [],
  });
  const ops = createOpRunner(dataset);
  const autoTag = createAutoTagRunner(dataset, options.tagger);
  const context: RouteContext = {
    dataset,
    ops,
    autoTag,
    thumbnails: new ThumbnailCache(options.thumbnailCacheBytes),
    serverVersion: SERVER_VERSION,
    importRoots: (options.importRoots ?? []).map((root) => path.resolve(root)),
    vocabulary: options.vocabulary ?? [],
  };

  // JSON only: a cross-site form can send text/plain without a preflight; it gets 415.
  app.removeContentTypeParser('text/plain');
  registerSecurityHeaders(app);
  installAccessHook(app, { policy, shuttingDown: () => shuttingDown });
  installBodyLimit(app, Limits.bodyBytes);
  installErrorHandler(app);
  await registerReadRoutes(app, context);
  await registerImageFileRoutes(app, context);
  await registerOpRoutes(app, context);
  await registerImportRoutes(app, context);
  await registerAutoTagRoutes(app, context);
  await registerExportRoutes(app, context);
  await registerWebAppRoutes(app, options.webRoot ?? findWebRoot(moduleDirectory));

  const hub = createSocketHub({
    ...options.socket,
    dataset,
    ops,
    policy,
    serverVersion: SERVER_VERSION,
    onFault: (error) => app.log.error(error),
    autoTag,
  });
  app.server.on('upgrade', hub.handleUpgrade);
  // A lost lock or a failed background compaction has no request to answer: the operator's log.
  const stopSessionFaults = dataset.on('session-fault', (error) =>
    app.log.warn({ code: error.code }, error.message),
  );

  async function shutdown(closeOptions: CloseOptions): Promise<void> {
    shuttingDown = true;
    // A job stops after the batch in inference; what it journaled stays, and a rerun resumes.
    const graceMs = closeOptions.autoTagGraceMs ?? AUTO_TAG_GRACE_MS;
    const tagged = await autoTag.stop(graceMs);
    if (!tagged) {
      app.log.warn(
        `The tagging job did not stop within ${graceMs} ms; civtag closes without it, and the next job scores the images it was tagging.`,
      );
    }
    await ops.drain();
    await hub.settled();
    await hub.shutdown(
      closeOptions.reason ?? 'civtag is shutting down',
      closeOptions.retryAfterMs ?? 2000,
    );
    await closeHttp(app);
    stopSessionFaults();
    // The grace is spent: the dataset does not wait for the job again.
    if (options.closeDataset !== false) await dataset.close(tagged ? {} : { autoTagGraceMs: 0 });
  }

  return {
    app,
    token,
    get clientCount() {
      return hub.clientCount;
    },
    async listen(listenOptions = {}) {
      await app.listen({ host, port: listenOptions.port ?? 0 });
      port = (app.server.address() as AddressInfo).port;
      // A wildcard bind is reachable as localhost too; that is the URL that works on this machine.
      const shown = isWildcardHost(host)
        ? host.includes(':')
          ? '[::1]'
          : '127.0.0.1'
        : formatHostName(host);
      const url = `http://${shown}:${port}/${token === undefined ? '' : `?token=${token}`}`;
      return { url, port, host };
    },
    close(closeOptions = {}) {
      closing ??= shutdown(closeOptions);
      return closing;
    },
  };
}
