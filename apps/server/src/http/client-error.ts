import type { Socket } from 'node:net';
import { type ErrorBody, ErrorCode } from '@civtag/api-models';

/** What a request Node's parser could not read is answered with, by the parser's error code. */
function answerFor(code: string | undefined): { status: string; body: ErrorBody } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return {
      status: '408 Request Timeout',
      body: { error: { code: ErrorCode.TIMEOUT, message: 'The request took too long to arrive.' } },
    };
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: '431 Request Header Fields Too Large',
      body: { error: { code: ErrorCode.TOO_LARGE, message: 'The request headers are too large.' } },
    };
  }
  return {
    status: '400 Bad Request',
    body: {
      error: {
        code: ErrorCode.PROTOCOL,
        message: 'The request could not be read: it is not well-formed HTTP/1.1.',
      },
    },
  };
}

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (a raw byte in the path, a
 * broken request line, headers too large) with civtag's error body, as every other refusal is,
 * and closes the connection: after a broken request the stream cannot be trusted.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, body } = answerFor(error.code);
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}
