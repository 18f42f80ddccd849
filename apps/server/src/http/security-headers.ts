import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Registers helmet with a strict Content-Security-Policy: everything from this server only, no
 * inline script or style, images also from `blob:`/`data:` (thumbnails made in the page), and
 * the socket on this same origin. civtag serves plain HTTP, so HSTS and
 * `upgrade-insecure-requests` are left out: they would break a LAN address without TLS.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
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
        connectSrc: ["'self'", socketOrigin],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        manifestSrc: ["'self'"],
      },
    },
  });
}

/**
 * The socket's own origins (`ws://` and `wss://` + the Host the page was loaded from). Older browsers do not
 * count `ws:` as `'self'`; naming the exact origin keeps the socket allowed without opening
 * `ws:` to every host. The Host header has passed the allow-list before this runs.
 */
function socketOrigin(request: { headers: { host?: string | undefined } }): string {
  const host = request.headers.host ?? '';
  // Both schemes: behind a TLS proxy the page is https and its socket wss.
  return /^[A-Za-z0-9.[\]:_-]+$/.test(host) ? `ws://${host} wss://${host}` : "'self'";
}
