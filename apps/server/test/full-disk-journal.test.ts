import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DatasetResponse, ImagesPage } from '@civtag/api-models';
import { mountTmpfs, type TestDisk } from '@civtag/test-disk';
import { createClient, type HeldEvent } from '@civtag/ws-client';
import type { ServerFrame } from '@civtag/ws-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  captionsWritten,
  makeDataset,
  openDataset,
  requireBuiltCli,
  runCivtag,
  startServer,
  waitUntil,
} from './harness.js';

// A real tmpfs holds the dataset: it is really filled, freed and remounted read-only. tmpfs gives
// out whole pages, so the tests fill the disk while the journal is empty (after a close, which
// compacts): the next journal line needs a page the disk no longer has.

const NOBODY = 65534;
const cleanUps: (() => Promise<void>)[] = [];
let disk: TestDisk | undefined;

afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
  await disk?.unmount();
  disk = undefined;
});

/** A dataset of `count` images on a fresh 24 MiB tmpfs, closed (its journal empty). */
async function datasetOnDisk(count: number): Promise<string> {
  disk = await mountTmpfs({ sizeBytes: 24 * 1024 * 1024 });
  const dataset = await makeDataset(disk.dir, count);
  await dataset.close();
  return dataset.dir;
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

/** An op's answer: `OpResponse` when taken, `ErrorBody` when refused. */
type OpAnswer = {
  revision?: number;
  error?: { code: string; message: string; details?: Record<string, unknown> };
};

async function postOp(base: string, op: unknown): Promise<{ status: number; body: OpAnswer }> {
  const response = await fetch(`${base}/api/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ op }),
  });
  return { status: response.status, body: (await response.json()) as OpAnswer };
}

/** Sends one op over a plain socket and returns the frame that answers it. */
async function opOverSocket(socketUrl: string, origin: string, op: unknown): Promise<ServerFrame> {
  const socket = new WebSocket(socketUrl, { origin });
  cleanUps.push(async () => socket.terminate());
  await new Promise((resolve) => socket.once('open', resolve));
  const answer = new Promise<ServerFrame>((resolve) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if ((frame.type === 'ack' || frame.type === 'reject') && frame.id === 'op-1') resolve(frame);
    });
  });
  socket.send(JSON.stringify({ v: 1, type: 'hello', data: { clientId: 'plain' } }));
  socket.send(JSON.stringify({ v: 1, type: 'op', id: 'op-1', data: { op } }));
  return answer;
}

describe('a server whose dataset disk is full', () => {
  it('refuses ops with DISK_FULL (507, socket reject) and acknowledges nothing, serves reads, and applies the next op once space is freed', async () => {
    const dir = await datasetOnDisk(3);
    const dataset = await openDataset(dir);
    await dataset.reconciled();
    const { base, origin, socketUrl } = await startServer(dataset, cleanUps);
    const before = await getJson<ImagesPage>(`${base}/api/images`);
    const [first] = before.body.images;
    const start = before.body.revision;
    await disk!.fill();

    const refused = await postOp(base, {
      type: 'add',
      target: { ids: [first!.id] },
      tags: ['refused'],
    });
    expect(refused.status).toBe(507);
    expect(refused.body.revision).toBeUndefined();
    expect(refused.body.error).toMatchObject({
      code: 'DISK_FULL',
      details: { path: path.join(dir, '.civtag', 'journal.jsonl') },
    });
    expect(refused.body.error?.message).toContain(path.join(dir, '.civtag'));
    expect(refused.body.error?.message).toMatch(/free some space/);

    const frame = await opOverSocket(socketUrl, origin, {
      type: 'add',
      target: { ids: [first!.id] },
      tags: ['refused on the socket'],
    });
    expect(frame).toMatchObject({ type: 'reject', data: { code: 'DISK_FULL' } });

    // Reads go on, and show nothing of the refused ops.
    const during = await getJson<ImagesPage>(`${base}/api/images`);
    expect(during.status).toBe(200);
    expect(during.body.revision).toBe(start);
    expect(during.body.images).toEqual(before.body.images);
    expect((await getJson<DatasetResponse>(`${base}/api/dataset`)).status).toBe(200);
    const thumbnail = await fetch(`${base}/api/images/${first!.id}/thumb`);
    expect(thumbnail.status).toBe(200);
    expect((await thumbnail.arrayBuffer()).byteLength).toBeGreaterThan(0);

    await disk!.free();
    const next = await postOp(base, { type: 'add', target: { ids: [first!.id] }, tags: ['kept'] });
    expect(next).toMatchObject({ status: 200, body: { revision: start + 1 } });
    await captionsWritten(base);
    const after = await getJson<ImagesPage>(`${base}/api/images`);
    const tags = after.body.images.find((image) => image.id === first!.id)!.tags;
    expect(tags).toContain('kept');
    expect(tags).not.toContain('refused');
    expect(tags).not.toContain('refused on the socket');
  });

  it('keeps an op a client made while the disk is full queued, and delivers it exactly once when space is freed', async () => {
    const dir = await datasetOnDisk(2);
    const dataset = await openDataset(dir);
    await dataset.reconciled();
    const { base, socketUrl } = await startServer(dataset, cleanUps);
    const { body } = await getJson<ImagesPage>(`${base}/api/images`);
    const start = body.revision;
    const imageId = body.images[0]!.id;
    const client = createClient({
      url: socketUrl,
      WebSocket: WebSocket as never,
      clientId: 'editor',
      backoff: { initialMs: 20, maxMs: 100 },
    });
    cleanUps.push(async () => client.close());
    const held: HeldEvent[] = [];
    client.on('held', (event) => held.push(event));
    await waitUntil(() => client.status === 'open');
    await disk!.fill();

    let settled = 0;
    const sent = client
      .send({ type: 'add', target: { ids: [imageId] }, tags: ['made while full'] })
      .finally(() => {
        settled += 1;
      });
    // Refused more than once: it is sent again while the disk stays full.
    await Promise.race([
      waitUntil(() => held.length >= 2),
      sent.then(
        (result) =>
          Promise.reject(new Error(`Acknowledged on a full disk: ${JSON.stringify(result)}`)),
        (error: unknown) => Promise.reject(new Error(`Given up on a full disk: ${error}`)),
      ),
    ]);
    expect(held[0]).toMatchObject({ held: true, queued: 1, error: { code: 'DISK_FULL' } });
    expect(client.pending).toBe(1);
    expect(settled).toBe(0);

    await disk!.free();
    expect(await sent).toEqual({ revision: start + 1 });
    expect(held.at(-1)).toEqual({ held: false, queued: 0 });
    // Nothing more came of it: the next op takes the next revision.
    const next = await postOp(base, { type: 'add', target: { ids: [imageId] }, tags: ['after'] });
    expect(next.body.revision).toBe(start + 2);
    const changes = await getJson<{ changes: { clientId?: string }[] }>(
      `${base}/api/changes?since=${start}`,
    );
    expect(changes.body.changes.filter((change) => change.clientId === 'editor')).toHaveLength(1);
    expect(settled).toBe(1);
  });
});

describe('civtag on a dataset folder that may not be written', () => {
  it('serve on a read-only disk prints one line naming the folder and the fix and exits 1; stats still reads it', async () => {
    requireBuiltCli();
    const dir = await datasetOnDisk(2);
    await disk!.setReadOnly(true);

    const served = await runCivtag(['serve', dir, '--port', '0'], { cwd: disk!.dir });
    expect(served.code).toBe(1);
    const lines = served.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Make ${dir} writable, or open it read-only with \`civtag stats\``);
    expect(lines[0]).toContain('read-only disk (EROFS)');
    expect(served.stderr).not.toMatch(/unexpected error|\n\s+at /);

    const stats = await runCivtag(['stats', dir, '--json'], { cwd: disk!.dir });
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ ok: true });
  });

  it('serve on a full disk prints one line naming the folder and saying to free space, and exits 1; stats still reads it', async () => {
    requireBuiltCli();
    const dir = await datasetOnDisk(2);
    await disk!.fill();

    const served = await runCivtag(['serve', dir, '--port', '0'], { cwd: disk!.dir });
    expect(served.code).toBe(1);
    const lines = served.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`The disk holding ${path.join(dir, '.civtag')} is full`);
    expect(served.stderr).not.toMatch(/unexpected error|\n\s+at /);

    const stats = await runCivtag(['stats', dir, '--json'], { cwd: disk!.dir });
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ ok: true });
  });

  it('serve as a user who may not write in the folder prints the same clear line and exits 1', async () => {
    if (process.getuid?.() !== 0) {
      throw new Error('This test runs civtag as nobody, which needs root: run it as root.');
    }
    const cli = requireBuiltCli();
    const dir = await datasetOnDisk(2);
    // The dataset is root's (folders 755, files 644): nobody reads it and writes nothing in it.
    const failure = await promisify(execFile)(
      process.execPath,
      [cli, 'serve', dir, '--port', '0'],
      { uid: NOBODY, gid: NOBODY, cwd: '/' },
    ).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const lines = failure!.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('this user may not write in it (EACCES)');
    expect(lines[0]).toContain(`Make ${dir} writable`);
  });
});
