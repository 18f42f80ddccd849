import { CivtagError, ErrorCode } from '@civtag/api-models';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessPolicy } from '../security/access-policy.js';
import { withoutTokenParameter } from '../security/access-token.js';
import { sendError } from './send-error.js';

/** What the access hook reads on every request. */
export interface AccessHookOptions {
  policy: AccessPolicy;
  /** True once a shutdown began: every new request is answered 503. */
  shuttingDown: () => boolean;
}

const TOKEN_NEEDED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>civtag: access token needed</title></head>
<body><h1>This civtag server needs its access token</h1>
<p>Open the URL civtag printed when it started (it ends with <code>?token=…</code>). The browser
then remembers the token for this server.</p></body></html>
`;

/** A browser loading a page (not the API): it gets HTML answers and redirects. */
function isPageLoad(request: FastifyRequest): boolean {
  return request.method === 'GET' && !request.url.startsWith('/api/');
}

/**
 * Runs before every route: refuses new work during a shutdown (503), then applies the access
 * policy (Host, Origin on state-changing methods, token). A first visit with `?token=` gets the
 * token cookie, named after the port (`civtag_token_4747`); a page load is also redirected to its
 * URL without the token, so the token does not stay in the address bar or the history.
 */
export function installAccessHook(app: FastifyInstance, options: AccessHookOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    if (options.shuttingDown()) {
      return sendError(
        reply,
        new CivtagError(
          ErrorCode.SHUTTING_DOWN,
          'civtag is shutting down; try again once it is back.',
        ),
      );
    }
    let grant: ReturnType<AccessPolicy['authorize']>;
    try {
      grant = options.policy.authorize({
        method: request.method,
        url: request.url,
        headers: request.headers,
        upgrade: false,
      });
    } catch (error) {
      if (isPageLoad(request) && CivtagError.hasCode(error, ErrorCode.UNAUTHORIZED)) {
        return reply.code(401).type('text/html; charset=utf-8').send(TOKEN_NEEDED_PAGE);
      }
      return sendError(reply, error);
    }
    const cookie = options.policy.tokenCookie();
    if (grant.tokenFromQuery && cookie !== undefined) {
      reply.header('set-cookie', cookie);
      if (isPageLoad(request)) return reply.redirect(withoutTokenParameter(request.url), 302);
    }
    return undefined;
  });
}
