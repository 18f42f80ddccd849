import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { RETRY_AFTER_SECONDS, toErrorAnswer } from '../error-table.js';

/**
 * Answers a refused WebSocket upgrade with a plain HTTP error (status from the error table and
 * the usual JSON error body) and closes the connection: no socket is ever opened for it.
 */
export function refuseUpgrade(socket: Duplex, error: unknown): void {
  const answer = toErrorAnswer(error);
  const body = JSON.stringify(answer.body);
  const lines = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  if (answer.retryable) lines.push(`Retry-After: ${RETRY_AFTER_SECONDS}`);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
}
