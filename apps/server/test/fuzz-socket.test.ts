import { cp } from 'node:fs/promises';
import path from 'node:path';
import type { ImageRecord, TagOp } from '@civtag/api-models';
import type { Dataset } from '@civtag/core';
import { checkFuzzTarget, fuzzTimeout } from '@civtag/test-fuzz';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { watchFuzzProcess } from './fuzz-process.js';
import type { PlannedFrame } from './fuzz-socket-frames.js';
import { helloFrame, plannedFrames } from './fuzz-socket-frames.js';
import { fetchAllImages, makeDataset, openDataset, scratchFolder, startServer } from './harness.js';

/**
 * Hostile frames on live sockets, in both access modes: whatever a client sends, the server
 * answers (never `INTERNAL`), a refused frame changes nothing, and afterwards the dataset the
 * server shows equals a second copy of the starting dataset that was given exactly the
 * acknowledged ops, in the order they were acknowledged.
 */

const { faults, cleanUps } = watchFuzzProcess();
const MAX_FRAME_BYTES = 64 * 1024;
/** A bound on waiting for one answer, so that a server that never answers fails with the seed. */
const ANSWER_BOUND_MS = 10_000;

/** The frames a client reads that answer one of its own (the rest are broadcasts). */
const ANSWERS = new Set(['ack', 'reject', 'error', 'pong', 'welcome']);

interface ServerFrameLike {
  type: string;
  id?: string;
  data?: { code?: string; revision?: number };
}

/** A connection that hands out the server's answers one at a time, or how it closed. */
class FuzzClient {
  readonly #answers: ServerFrameLike[] = [];
  #closed: { code: number; reason: string } | undefined;
  #wake: (() => void) | undefined;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrameLike;
      if (ANSWERS.has(frame.type)) this.#answers.push(frame);
      this.#wake?.();
    });
    socket.on('close', (code, reason) => {
      this.#closed = { code, reason: String(reason) };
      this.#wake?.();
    });
    socket.on('error', () => {});
  }

  /** The next answer, or the close when the socket closed first. */
  async next(describe: string): Promise<ServerFrameLike | { closed: number; reason: string }> {
    const bound = Date.now() + ANSWER_BOUND_MS;
    for (;;) {
      const answer = this.#answers.shift();
      if (answer !== undefined) return answer;
      if (this.#closed !== undefined)
        return { closed: this.#closed.code, reason: this.#closed.reason };
      if (Date.now() > bound) throw new Error(`No answer in ${ANSWER_BOUND_MS} ms to ${describe}`);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 100);
      });
    }
  }
}

function connect(url: string, headers: Record<string, string>): Promise<FuzzClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const client = new FuzzClient(socket);
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`The socket was refused with ${response.statusCode}`)),
    );
  });
}

function closeClient(client: FuzzClient): Promise<void> {
  if (client.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    client.socket.once('close', () => resolve());
    client.socket.close();
  });
}

/** What the replay compares: each image's tags and state, and the settings. */
function comparable(images: readonly ImageRecord[], settings: unknown) {
  return {
    settings,
    images: images.map((image) => ({
      id: image.id,
      tags: image.tags,
      excluded: image.excluded,
      proposals: image.proposals ?? [],
    })),
  };
}

/** Close codes a hostile client may earn: not UTF-8, over the limit, another version. */
const EXPECTED_CLOSES = new Set([1007, 1009, 4002]);

for (const mode of ['localhost', 'token'] as const) {
  describe(`hostile frames on live sockets (${mode} mode)`, () => {
    let dataset: Dataset;
    let replica: Dataset;
    let socketUrl: string;
    let base: string;
    let access: Record<string, string>;
    let imageIds: string[];

    beforeAll(async () => {
      const root = await scratchFolder(cleanUps);
      const start = await makeDataset(root, 3);
      await start.close();
      await cp(path.join(root, 'dataset'), path.join(root, 'replica'), { recursive: true });
      dataset = await openDataset(path.join(root, 'dataset'));
      cleanUps.push(() => dataset.close());
      replica = await openDataset(path.join(root, 'replica'));
      cleanUps.push(() => replica.close());
      const token = 'fuzz-socket-token-0123456789';
      const started = await startServer(dataset, cleanUps, {
        closeDataset: false,
        socket: { maxFrameBytes: MAX_FRAME_BYTES },
        ...(mode === 'token' ? { requireToken: true, token } : {}),
      });
      ({ socketUrl, base } = started);
      access =
        mode === 'token'
          ? { authorization: `Bearer ${token}` }
          : { origin: `http://127.0.0.1:${started.port}` };
      imageIds = dataset.images().map((image) => image.id);
    });

    it(
      'answers every frame, refuses without changing anything, and matches a replay of its acks',
      async () => {
        let connection = 0;
        const property = fc.asyncProperty(
          helloFrame,
          plannedFrames(imageIds, MAX_FRAME_BYTES),
          async (hello, frames) => {
            connection += 1;
            const clientId = `fuzz-${connection}`;
            const client = await connect(socketUrl, access);
            const acknowledged: { op: TagOp; opId: string }[] = [];
            let greetedAs: string | undefined;
            try {
              const sequence: PlannedFrame[] = [];
              if (hello !== undefined) {
                const payload = String(hello.payload).replace(
                  '"clientId":"fuzz"',
                  `"clientId":"${clientId}"`,
                );
                sequence.push({
                  ...hello,
                  payload,
                  describe: `${hello.describe.split(':')[0]}: ${payload}`,
                });
              }
              sequence.push(...frames);
              for (const frame of sequence) {
                const revision = dataset.revision;
                client.socket.send(frame.payload, { binary: frame.binary });
                const answer = await client.next(frame.describe);
                if ('closed' in answer) {
                  expect(
                    EXPECTED_CLOSES,
                    `${frame.describe} closed ${answer.closed} ${answer.reason}`,
                  ).toContain(answer.closed);
                  expect(dataset.revision, frame.describe).toBe(revision);
                  break;
                }
                const context = `${frame.describe} → ${JSON.stringify(answer).slice(0, 400)}`;
                if (answer.type === 'welcome')
                  greetedAs = (JSON.parse(String(frame.payload)) as { data: { clientId: string } })
                    .data.clientId;
                if (answer.type === 'ack') {
                  // The id the frame carried (a broken frame may carry another than planned).
                  const sent = JSON.parse(String(frame.payload)) as {
                    id: string;
                    data: { op: TagOp };
                  };
                  expect(answer.id, context).toBe(sent.id);
                  acknowledged.push({ op: sent.data.op, opId: answer.id as string });
                } else {
                  expect(answer.data?.code, context).not.toBe('INTERNAL');
                  expect(dataset.revision, context).toBe(revision);
                }
                expect(faults, context).toEqual([]);
              }
            } finally {
              await closeClient(client);
            }
            for (const { op, opId } of acknowledged) {
              await replica.apply(op, { clientId: greetedAs as string, opId });
            }
            const served = await fetchAllImages(base, access);
            const feed = () =>
              JSON.stringify(dataset.changesSince(Math.max(0, served.revision - 4))).slice(0, 3000);
            expect(served.revision, `acknowledged ${JSON.stringify(acknowledged)}; ${feed()}`).toBe(
              replica.revision,
            );
            const settings = (
              (await (await fetch(`${base}/api/dataset`, { headers: access })).json()) as {
                settings: unknown;
              }
            ).settings;
            expect(comparable(served.images, settings)).toEqual(
              comparable(replica.images(), replica.settings),
            );
          },
        );
        await checkFuzzTarget(`server-socket-${mode}`, property, 400, { stateful: true });
      },
      fuzzTimeout(120_000),
    );
  });
}
