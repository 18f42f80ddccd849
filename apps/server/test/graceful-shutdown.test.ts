import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServerFrame } from '@civtag/ws-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { makeDataset, openDataset, requireBuiltCli, scratchFolder, spawnServe } from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

const CLIENTS = 50;

describe('a graceful shutdown', () => {
  it('sends every client shutdown then 1001, compacts the session, removes the lock and exits 0', async () => {
    requireBuiltCli();
    const root = await scratchFolder(cleanUps);
    const dataset = await makeDataset(root, 2);
    const imageId = dataset.images()[0]!.id;
    await dataset.close();
    const serve = await spawnServe([dataset.dir, '--port', '0']);
    cleanUps.push(async () => {
      if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
      await serve.exited;
    });
    const socketUrl = `ws://127.0.0.1:${serve.port}/ws`;

    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, index) => {
        const socket = new WebSocket(socketUrl);
        const frames: ServerFrame[] = [];
        socket.on('message', (data) => frames.push(JSON.parse(String(data)) as ServerFrame));
        const closed = new Promise<number>((resolve) =>
          socket.on('close', (code) => resolve(code)),
        );
        await new Promise((resolve, reject) => {
          socket.once('open', resolve);
          socket.once('error', reject);
        });
        socket.send(JSON.stringify({ v: 1, type: 'hello', data: { clientId: `client-${index}` } }));
        return { socket, frames, closed };
      }),
    );
    // One acknowledged op, so there is a journal to compact.
    const writer = clients[0]!;
    writer.socket.send(
      JSON.stringify({
        v: 1,
        type: 'op',
        id: 'last-words',
        data: { op: { type: 'add', target: { ids: [imageId] }, tags: ['kept'] } },
      }),
    );
    while (!writer.frames.some((frame) => frame.type === 'ack'))
      await new Promise((resolve) => setTimeout(resolve, 10));
    while (!clients.every((client) => client.frames.some((frame) => frame.type === 'welcome'))) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    serve.child.kill('SIGTERM');
    const codes = await Promise.all(clients.map((client) => client.closed));
    expect(codes).toEqual(Array.from({ length: CLIENTS }, () => 1001));
    for (const client of clients) {
      expect(client.frames.at(-1)).toMatchObject({
        type: 'shutdown',
        data: { reason: expect.any(String), retryAfterMs: expect.any(Number) },
      });
    }
    expect((await serve.exited).code).toBe(0);

    const sessionFolder = path.join(dataset.dir, '.civtag');
    expect(existsSync(path.join(sessionFolder, 'lock'))).toBe(false);
    const journal = await readFile(path.join(sessionFolder, 'journal.jsonl'), 'utf8').catch(
      () => '',
    );
    expect(journal).toBe('');
    expect(await readFile(path.join(sessionFolder, 'session.json'), 'utf8')).toContain('kept');
    const reopened = await openDataset(dataset.dir);
    expect(reopened.image(imageId)?.tags).toEqual(['kept']);
    await reopened.close();
  });
});
