import type { FastifyInstance } from 'fastify';
import { isClientError, toErrorAnswer } from '../error-table.js';
import { sendError } from './send-error.js';

/**
 * Answers every error thrown by a route through the error table. A client's mistake (4xx) is
 * answered quietly; anything else is logged with its stack, and the client sees only `INTERNAL`.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(async (error, request, reply) => {
    const answer = toErrorAnswer(error);
    if (!isClientError(answer)) request.log.error({ err: error }, 'request failed');
    return sendError(reply, error);
  });
}
