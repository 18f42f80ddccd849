import { CivtagError, ErrorCode } from '@civtag/api-models';
import type { FastifyInstance } from 'fastify';
import type { AccessPolicy } from '../security/access-policy.js';
import { tokenCookie, withoutTokenParameter } from '../security/access-token.js';
import { sendError } from './send-error.js';

/** What the access hook reads on every request. */
export interface AccessHookOptions {
  policy: AccessPolicy;
  /** True once a shutdown began: every new request is answered 503. */
  shuttingDown: () => boolean;
}

/**
 * Runs before every route: refuses new work during a shutdown (503), then applies the access
 * policy (Host, Origin on state-changing methods, token). A first visit with `?token=` gets the
 * `civtag_token` cookie; a page load is also redirected to its URL without the token, so the
 * token does not stay in the address bar or the history.
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
      return sendError(reply, error);
    }
    if (grant.tokenFromQuery && options.policy.token !== undefined) {
      reply.header('set-cookie', tokenCookie(options.policy.token));
      const isPage = request.method === 'GET' && !request.url.startsWith('/api/');
      if (isPage) return reply.redirect(withoutTokenParameter(request.url), 302);
    }
    return undefined;
  });
}
