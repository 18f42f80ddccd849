import { connect } from 'node:net';
import { Limits } from '@civtag/api-models';
import type { Dataset } from '@civtag/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataset, scratchFolder, startServer } from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
let dataset: Dataset;
let port: number;

afterAll(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

beforeAll(async () => {
  dataset = await makeDataset(await scratchFolder(cleanUps), 1);
  cleanUps.push(() => dataset.close());
  ({ port } = await startServer(dataset, cleanUps, { closeDataset: false }));
});

interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/**
 * Sends `POST /api/ops` with a body of `size` bytes over a plain socket and reads the answer
 * only once the whole body is written, as most HTTP clients do without `Expect: 100-continue`.
 * Rejects when the connection is reset (EPIPE, ECONNRESET) before an answer arrives.
 */
function postWholeBodyThenRead(size: number, encoding: 'length' | 'chunked'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(received).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body });
    });
    const framing =
      encoding === 'length' ? `Content-Length: ${size}` : 'Transfer-Encoding: chunked';
    const head = [
      'POST /api/ops HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Content-Type: application/json',
      framing,
      'Connection: close',
      '',
      '',
    ].join('\r\n');
    const body = Buffer.alloc(size, 'a');
    const payload =
      encoding === 'length'
        ? body
        : Buffer.concat([
            Buffer.from(`${size.toString(16)}\r\n`),
            body,
            Buffer.from('\r\n0\r\n\r\n'),
          ]);
    socket.write(head);
    socket.write(payload, (error) => {
      if (error) reject(error);
      else socket.on('data', (chunk: Buffer) => received.push(chunk));
    });
  });
}

describe('a request body over the limit', () => {
  // 2.5 times the limit (20 MiB): far more than the socket buffers of both ends can hold, so a
  // server that stops reading makes the client's write fail; still within what civtag discards.
  const size = Limits.bodyBytes * 2.5;

  it.each(['length', 'chunked'] as const)(
    'is answered 413 with a JSON error naming the limit, not a reset, when the client writes it all first (%s)',
    async (encoding) => {
      const answer = await postWholeBodyThenRead(size, encoding);
      expect(answer.status).toBe(413);
      expect(answer.headers.toLowerCase()).toContain('content-type: application/json');
      const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
      expect(error.code).toBe('TOO_LARGE');
      expect(error.message).toContain('8 MiB');
    },
  );
});
