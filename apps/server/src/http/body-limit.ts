import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import type { FastifyInstance } from 'fastify';

/**
 * How many times the body limit a server reads and throws away to answer an oversized request
 * with its 413: a client that writes its whole body before reading (most do, without
 * `Expect: 100-continue`) would otherwise see its connection reset instead of the answer.
 * Beyond this many bytes the server answers at once and closes the connection.
 */
export const BODY_DISCARD_FACTOR = 4;

/** `8 MiB (8388608 bytes)`: a byte count as people read it, exact for scripts. */
function describeBytes(bytes: number): string {
  const mebibytes = bytes / (1024 * 1024);
  return Number.isInteger(mebibytes) ? `${mebibytes} MiB (${bytes} bytes)` : `${bytes} bytes`;
}

/** A request body over the server's limit (`TOO_LARGE`, HTTP 413); the message names the limit. */
export class RequestBodyTooLargeError extends CivtagError {
  constructor(limitBytes: number) {
    super(
      ErrorCode.TOO_LARGE,
      `The request body is over this server's limit of ${describeBytes(limitBytes)}: send less in one request (an op can target {"query": …} or {"all": true} rather than list every id).`,
      { details: { limitBytes } },
    );
    this.name = 'RequestBodyTooLargeError';
  }
}

/** Reads `payload` to its end, or until `maxBytes` are read, keeping nothing; true when it ended. */
function discardBody(payload: Readable, maxBytes: number): Promise<boolean> {
  return new Promise((resolve) => {
    let read = 0;
    const finish = (ended: boolean) => {
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', onGone);
      payload.off('close', onGone);
      if (!ended) payload.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer | string) => {
      read += chunk.length;
      if (read > maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onGone = () => finish(false);
    payload.on('data', onData);
    payload.once('end', onEnd);
    payload.once('error', onGone);
    payload.once('close', onGone);
    payload.resume();
  });
}

/**
 * Passes a body of unknown length (chunked) through up to `limitBytes`; past that it forwards
 * nothing more, reads on to the end (up to `discardBytes`) and then fails with
 * {@link RequestBodyTooLargeError}, so the 413 goes to a client that has finished writing.
 */
function limitUnknownLength(limitBytes: number, discardBytes: number): Transform {
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received <= limitBytes) callback(null, chunk);
      else if (received <= discardBytes) callback();
      else callback(new RequestBodyTooLargeError(limitBytes));
    },
    flush(callback) {
      callback(received > limitBytes ? new RequestBodyTooLargeError(limitBytes) : null);
    },
  });
}

/**
 * Answers a request body over `limitBytes` with 413 `TOO_LARGE` and the JSON error body, after
 * reading and discarding it (up to {@link BODY_DISCARD_FACTOR} times the limit), so the client
 * reads the answer instead of a reset connection. A body declared larger than that is refused
 * at once and its connection closed; Fastify's own `bodyLimit` stays in place behind this.
 */
export function installBodyLimit(app: FastifyInstance, limitBytes: number): void {
  const discardBytes = limitBytes * BODY_DISCARD_FACTOR;
  app.addHook('preParsing', async (request, reply, payload) => {
    const declared = request.headers['content-length'];
    if (declared === undefined) {
      // No length: a chunked body is counted as it comes; a request without a body is left alone.
      if (request.headers['transfer-encoding'] === undefined) return payload;
      return payload.pipe(limitUnknownLength(limitBytes, discardBytes));
    }
    const length = Number(declared);
    if (!(length > limitBytes)) return payload;
    if (length > discardBytes || !(await discardBody(payload, discardBytes))) {
      reply.header('connection', 'close');
    }
    throw new RequestBodyTooLargeError(limitBytes);
  });
}
