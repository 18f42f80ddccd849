import type { Change, OpResponse } from '@civtag/api-models';
import { ClientIdSchema, OpIdSchema, OpRequestSchema, parseOrThrow } from '@civtag/api-models';
import type { AppliedChange } from '@civtag/core';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import type { OpOrigin } from '../op-runner.js';
import type { RouteContext } from './route-context.js';

/** The body of `POST /api/undo` and `/api/redo`: who asks, so a resend is applied once. */
const HistoryRequestSchema = z.optional(
  z.nullable(
    z.strictObject({ clientId: z.optional(ClientIdSchema), opId: z.optional(OpIdSchema) }),
  ),
);

/**
 * Runs an op and answers as soon as it is durable (journaled), with its revision and how many
 * images it changed; its caption files are written behind the answer. A resend is answered
 * from memory. An error before the op is durable is the answer; one after it (a caption that
 * cannot be written) is not: the change stands, and `captionsPending` shows the file lagging.
 */
function answerWhenDurable(
  run: (origin: OpOrigin) => Promise<AppliedChange>,
  origin: OpOrigin,
): Promise<OpResponse> {
  return new Promise<OpResponse>((resolve, reject) => {
    const answer = (change: Change, duplicate: boolean, count: number): void => {
      const response: OpResponse = { revision: change.revision, count };
      if (duplicate) response.duplicate = true;
      if (change.description !== undefined) response.description = change.description;
      resolve(response);
    };
    let durable = false;
    run({
      ...origin,
      onDurable: (change) => {
        durable = true;
        answer(change, false, change.changes.length + (change.added?.length ?? 0));
      },
    }).then(
      (applied) => {
        if (!durable) answer(applied, applied.duplicate, applied.count);
      },
      (error: unknown) => {
        if (!durable) reject(error);
      },
    );
  });
}

/**
 * The routes that change tags. They answer once the change is durable, and share the socket's
 * op runner, so a resend by either road is applied once.
 */
export async function registerOpRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  app.post('/api/ops', async (request): Promise<OpResponse> => {
    const body = parseOrThrow(OpRequestSchema, request.body, 'op request');
    const origin = { clientId: body.clientId, opId: body.opId };
    return answerWhenDurable((withDurable) => context.ops.apply(body.op, withDurable), origin);
  });

  app.post('/api/undo', async (request): Promise<OpResponse> => {
    const origin = parseOrThrow(HistoryRequestSchema, request.body, 'undo request') ?? {};
    return answerWhenDurable((withDurable) => context.ops.undo(withDurable), origin);
  });

  app.post('/api/redo', async (request): Promise<OpResponse> => {
    const origin = parseOrThrow(HistoryRequestSchema, request.body, 'redo request') ?? {};
    return answerWhenDurable((withDurable) => context.ops.redo(withDurable), origin);
  });
}
