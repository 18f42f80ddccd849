import type { OpResponse } from '@civtag/api-models';
import { ClientIdSchema, OpIdSchema, OpRequestSchema, parseOrThrow } from '@civtag/api-models';
import type { AppliedChange } from '@civtag/core';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import type { RouteContext } from './route-context.js';

/** The body of `POST /api/undo` and `/api/redo`: who asks, so a resend is applied once. */
const HistoryRequestSchema = z.optional(
  z.nullable(
    z.strictObject({ clientId: z.optional(ClientIdSchema), opId: z.optional(OpIdSchema) }),
  ),
);

function toOpResponse(applied: AppliedChange): OpResponse {
  return { revision: applied.revision, changes: applied.changes };
}

/**
 * The routes that change tags. They answer once the change is durable and its captions are
 * written, and share the socket's op runner, so a resend by either road is applied once.
 */
export async function registerOpRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  app.post('/api/ops', async (request): Promise<OpResponse> => {
    const body = parseOrThrow(OpRequestSchema, request.body, 'op request');
    const origin = { clientId: body.clientId, opId: body.opId };
    return toOpResponse(await context.ops.apply(body.op, origin));
  });

  app.post('/api/undo', async (request): Promise<OpResponse> => {
    const origin = parseOrThrow(HistoryRequestSchema, request.body, 'undo request') ?? {};
    return toOpResponse(await context.ops.undo(origin));
  });

  app.post('/api/redo', async (request): Promise<OpResponse> => {
    const origin = parseOrThrow(HistoryRequestSchema, request.body, 'redo request') ?? {};
    return toOpResponse(await context.ops.redo(origin));
  });
}
