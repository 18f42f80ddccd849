import type { AutoTagProgress, AutoTagStatus } from '@civtag/api-models';
import { AutoTagRequestSchema, parseOrThrow } from '@civtag/api-models';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './route-context.js';

/**
 * Auto-tagging from the browser with the server's tagger: start a job (one at a time), cancel
 * it, read how far it is. Its progress also goes to every socket as `tagging` frames, and the
 * proposals it stores as `change` frames.
 */
export async function registerAutoTagRoutes(
  app: FastifyInstance,
  context: RouteContext,
): Promise<void> {
  app.get('/api/autotag', async (): Promise<AutoTagStatus> => {
    const status: AutoTagStatus = { tagger: context.autoTag.hasTagger };
    const job = context.autoTag.progress();
    if (job !== undefined) status.job = job;
    return status;
  });

  app.post('/api/autotag', async (request, reply): Promise<AutoTagProgress> => {
    const body = parseOrThrow(AutoTagRequestSchema, request.body ?? {}, 'auto-tag request');
    const progress = context.autoTag.start(body);
    reply.code(202);
    return progress;
  });

  app.delete('/api/autotag/:jobId', async (request): Promise<AutoTagProgress> => {
    const jobId = (request.params as { jobId: string }).jobId;
    return context.autoTag.cancel(jobId);
  });
}
