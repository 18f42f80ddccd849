import type { ImportProgress, ImportRootsResponse, ImportStarted } from '@civtag/api-models';
import { CivtagError, ErrorCode, ImportRequestSchema, parseOrThrow } from '@civtag/api-models';
import type { ImportJob } from '@civtag/core';
import type { FastifyInstance } from 'fastify';
import { listImportFolders, resolveImportSource } from '../import-roots.js';
import type { RouteContext } from './route-context.js';

/** Finished jobs kept for `GET /api/imports/:jobId`; older ones are forgotten. */
const JOBS_KEPT = 50;

/** Imports started from the browser, from folders under the server's import roots only. */
export async function registerImportRoutes(
  app: FastifyInstance,
  context: RouteContext,
): Promise<void> {
  const jobs = new Map<string, ImportJob>();

  app.get(
    '/api/import-roots',
    async (): Promise<ImportRootsResponse> => listImportFolders(context.importRoots),
  );

  app.post('/api/imports', async (request, reply): Promise<ImportStarted> => {
    const body = parseOrThrow(ImportRequestSchema, request.body, 'import request');
    const source = await resolveImportSource(context.importRoots, body.source);
    const job = context.dataset.import(source, body.options ?? {});
    jobs.set(job.id, job);
    for (const id of jobs.keys()) {
      if (jobs.size <= JOBS_KEPT) break;
      jobs.delete(id);
    }
    // The job reports failures in its progress; a rejection here must not go unhandled.
    job.done.catch(() => {});
    reply.code(202);
    return { jobId: job.id };
  });

  app.get('/api/imports/:jobId', async (request): Promise<ImportProgress> => {
    const jobId = (request.params as { jobId: string }).jobId;
    const job = jobs.get(jobId);
    if (job === undefined) {
      throw new CivtagError(
        ErrorCode.NOT_FOUND,
        `No import job with id ${JSON.stringify(jobId.slice(0, 64))}.`,
      );
    }
    return job.progress();
  });
}
