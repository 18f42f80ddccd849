import { existsSync } from 'node:fs';
import path from 'node:path';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendError } from '../http/send-error.js';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>civtag</title></head>
<body><h1>civtag is running</h1>
<p>The web app is not built. Run <code>pnpm build</code> in the civtag repository and reload,
or use the HTTP API under <a href="/api/dataset">/api/</a>.</p></body></html>
`;

/**
 * Serves the built web app (`index.html` and its assets) with the single-page-app fallback:
 * a GET for a page that is no file gets `index.html`. Unknown `/api/` paths stay JSON 404s.
 * When `webRoot` holds no `index.html`, a small page says the web app is not built.
 */
export async function registerWebAppRoutes(
  app: FastifyInstance,
  webRoot: string | undefined,
): Promise<void> {
  const built = webRoot !== undefined && existsSync(path.join(webRoot, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: true,
      index: 'index.html',
      cacheControl: false,
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const isPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !pathname.startsWith('/api/') &&
      pathname !== '/ws';
    if (!isPage) {
      return sendError(
        reply,
        new CivtagError(
          ErrorCode.NOT_FOUND,
          `No route ${request.method} ${pathname.slice(0, 200)}.`,
        ),
      );
    }
    reply.header('cache-control', 'no-cache');
    if (built) return reply.sendFile('index.html');
    return reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
  });
}

/**
 * Where the built web app is: `$CIVTAG_WEB_ROOT`, a `web/` folder beside the bundle (a deployed
 * copy), or `apps/web/dist` of the repository.
 */
export function findWebRoot(moduleDirectory: string): string | undefined {
  const candidates = [
    process.env.CIVTAG_WEB_ROOT,
    path.join(moduleDirectory, 'web'),
    path.resolve(moduleDirectory, '../../web/dist'),
  ];
  return candidates.find(
    (candidate) => candidate !== undefined && existsSync(path.join(candidate, 'index.html')),
  );
}
