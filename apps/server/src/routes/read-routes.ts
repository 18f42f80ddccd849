import { createHash } from 'node:crypto';
import type {
  ChangesResponse,
  DatasetResponse,
  HealthResponse,
  ImageRecord,
  TagsResponse,
} from '@civtag/api-models';
import {
  CivtagError,
  ErrorCode,
  ImageIdSchema,
  ImagesQuerySchema,
  parseOrThrow,
} from '@civtag/api-models';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './route-context.js';

/** Finds an image by a client-given id, or throws `VALIDATION` / `NOT_FOUND`. */
export function findImage(context: RouteContext, id: unknown): ImageRecord {
  const imageId = parseOrThrow(ImageIdSchema, id, 'image id');
  const image = context.dataset.image(imageId);
  if (image === undefined) {
    throw new CivtagError(ErrorCode.NOT_FOUND, `No image with id "${imageId}" in this dataset.`, {
      details: { imageId },
    });
  }
  return image;
}

function parseRevision(value: unknown): number {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) {
    throw new CivtagError(
      ErrorCode.VALIDATION,
      'Invalid "since": give the last revision seen, a whole number (0 for everything).',
    );
  }
  return Number(value);
}

/** The read-only JSON routes: health, dataset, images, tags, changes, check, vocabulary. */
export async function registerReadRoutes(
  app: FastifyInstance,
  context: RouteContext,
): Promise<void> {
  const { dataset } = context;

  app.get(
    '/api/health',
    async (): Promise<HealthResponse> => ({ ok: true, version: context.serverVersion }),
  );

  app.get(
    '/api/dataset',
    async (): Promise<DatasetResponse> => ({
      id: dataset.id,
      settings: dataset.settings,
      revision: dataset.revision,
      imageCount: dataset.images().length,
      canUndo: dataset.canUndo(),
      canRedo: dataset.canRedo(),
    }),
  );

  app.get('/api/images', async (request) => {
    const query = parseOrThrow(ImagesQuerySchema, request.query, 'image query');
    return dataset.query(query);
  });

  app.get('/api/images/:id', async (request) =>
    findImage(context, (request.params as { id: unknown }).id),
  );

  app.get(
    '/api/tags',
    async (): Promise<TagsResponse> => ({
      revision: dataset.revision,
      tags: dataset.tagStats(),
    }),
  );

  app.get('/api/changes', async (request): Promise<ChangesResponse> => {
    const since = parseRevision((request.query as { since?: unknown }).since);
    const revision = dataset.revision;
    const missed = since > revision ? ({ reload: true } as const) : dataset.changesSince(since);
    return missed.reload
      ? { revision, reload: true, changes: [] }
      : { revision, reload: false, changes: missed.changes };
  });

  app.get('/api/check', async () => dataset.check());

  // The vocabulary can be large and never changes while the server runs: send it with an ETag.
  const vocabularyBody = JSON.stringify({ entries: context.vocabulary });
  const vocabularyTag = `"${createHash('sha256').update(vocabularyBody).digest('hex').slice(0, 32)}"`;
  app.get('/api/vocabulary', async (request, reply) => {
    reply.header('etag', vocabularyTag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === vocabularyTag) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(vocabularyBody);
  });
}
