import type { FastifyReply } from 'fastify';
import { RETRY_AFTER_SECONDS, toErrorAnswer } from '../error-table.js';

/** Answers with the error table's status and the JSON error body; returns the reply. */
export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const answer = toErrorAnswer(error);
  if (answer.retryable) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply.code(answer.status).type('application/json; charset=utf-8').send(answer.body);
}
