import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/** Distinct Host values whose headers are kept; the access policy refuses the rest anyway. */
const MAX_CACHED_HOSTS = 64;

/**
 * helmet with a strict Content-Security-Policy: everything from this server only, no inline
 * script or style, images also from `blob:`/`data:` (thumbnails made in the page), and the
 * socket on this same origin. civtag serves plain HTTP, so HSTS and `upgrade-insecure-requests`
 * are left out: they would break a LAN address without TLS.
 */
const securityHeaders = helmet({
  hsts: false,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'blob:', 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'", (request) => socketOrigin(request)],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      workerSrc: ["'self'", 'blob:'],
      manifestSrc: ["'self'"],
    },
  },
});

/**
 * The headers helmet sets for a request to `host`. helmet rebuilds the whole policy on every
 * request when a directive depends on the request (ours names the socket's origin), which
 * cost more than the rest of a cached-thumbnail request; the answer only depends on the Host,
 * so it is worked out once per Host.
 */
function headersForHost(cache: Map<string, Record<string, string>>, host: string) {
  let headers = cache.get(host);
  if (headers !== undefined) return headers;
  const recorded: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      recorded[name] = String(value);
    },
    removeHeader() {},
  };
  securityHeaders(
    { headers: { host } } as IncomingMessage,
    response as unknown as ServerResponse,
    () => {},
  );
  headers = recorded;
  if (cache.size >= MAX_CACHED_HOSTS) cache.clear();
  cache.set(host, headers);
  return headers;
}

/** Sends helmet's security headers, with the strict policy above, on every answer. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  const cache = new Map<string, Record<string, string>>();
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(headersForHost(cache, request.headers.host ?? ''));
  });
}

/**
 * The socket's own origins (`ws://` and `wss://` + the Host the page was loaded from). Older browsers do not
 * count `ws:` as `'self'`; naming the exact origin keeps the socket allowed without opening
 * `ws:` to every host. A Host that is not a plain host name gets `'self'` only.
 */
function socketOrigin(request: { headers: { host?: string | undefined } }): string {
  const host = request.headers.host ?? '';
  // Both schemes: behind a TLS proxy the page is https and its socket wss.
  return /^[A-Za-z0-9.[\]:_-]+$/.test(host) ? `ws://${host} wss://${host}` : "'self'";
}
