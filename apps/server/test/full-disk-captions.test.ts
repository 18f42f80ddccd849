import { execFile } from 'node:child_process';
import { cp, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CheckReport, ImportProgress } from '@civtag/api-models';
import { type Dataset, openDataset } from '@civtag/core';
import { mountTmpfs, type TestDisk } from '@civtag/test-disk';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { captionsWritten, makeDataset, scratchFolder, startServer, waitUntil } from './harness.js';
import { runCliInProcess } from './run-cli-in-process.js';

const run = promisify(execFile);

const cleanUps: (() => Promise<void>)[] = [];
// Every clean-up runs, even after one fails (a dataset that cannot close on a full disk must
// not leave the disk mounted); the first failure is reported.
afterEach(async () => {
  const failures: unknown[] = [];
  for (const cleanUp of cleanUps.splice(0).reverse())
    await cleanUp().catch((error) => failures.push(error));
  if (failures.length > 0) throw failures[0];
});

async function mount(sizeBytes: number): Promise<TestDisk> {
  const disk = await mountTmpfs({ sizeBytes });
  cleanUps.push(() => disk.unmount());
  return disk;
}

/** Shows `from` at `to` too (`mount --bind`) until the test's clean-up; fails, saying why, where refused. */
async function bindMount(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  await run('mount', ['--bind', from, to]).catch((error: Error) => {
    throw new Error(`Could not bind ${from} onto ${to} (${error.message}): these tests need root.`);
  });
  cleanUps.push(() => run('umount', ['-l', to]).then(() => undefined));
}

/**
 * A dataset of `count` images whose folder (captions) lies on `disk` and whose `.civtag` lies on
 * a disk of its own, open again.
 */
async function splitDataset(disk: TestDisk, count: number): Promise<Dataset> {
  const made = await makeDataset(disk.dir, count);
  const dir = made.dir;
  await made.close();
  const state = await mount(8 * 1024 * 1024);
  const stateDir = path.join(dir, '.civtag');
  for (const name of await readdir(stateDir))
    await cp(path.join(stateDir, name), path.join(state.dir, name), { recursive: true });
  await bindMount(state.dir, stateDir);
  const dataset = await openDataset(dir);
  cleanUps.push(() => dataset.close());
  await dataset.reconciled();
  return dataset;
}

async function postJson(base: string, route: string, body: unknown): Promise<Response> {
  return fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function captionsPending(base: string): Promise<number> {
  const health = (await (await fetch(`${base}/api/health`)).json()) as { captionsPending: number };
  return health.captionsPending;
}

describe('the server on a disk without room', () => {
  it('answers an op whose captions cannot be written as accepted, counts them pending, and writes them once space is freed', async () => {
    const disk = await mount(16 * 1024 * 1024);
    const dataset = await splitDataset(disk, 30);
    const { base, origin, socketUrl } = await startServer(dataset, cleanUps);
    const socket = new WebSocket(socketUrl, { origin });
    cleanUps.push(async () => socket.terminate());
    const frames: Array<{ type: string; id?: string }> = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ v: 1, type: 'hello', data: { clientId: 'tagger' } }));
    await waitUntil(() => frames.some((frame) => frame.type === 'welcome'));
    await disk.fill();
    // Over the socket: acknowledged, and no error follows for the captions it could not write.
    const sendOp = (id: string, tag: string) =>
      socket.send(
        JSON.stringify({
          v: 1,
          type: 'op',
          id,
          data: { op: { type: 'add', target: { all: true }, tags: [tag] } },
        }),
      );
    sendOp('op-1', 'rain');
    await waitUntil(() => frames.some((frame) => frame.type === 'ack' && frame.id === 'op-1'));
    await waitUntil(() => dataset.captionProgress().failed === 30);
    sendOp('op-2', 'cloud');
    await waitUntil(() => frames.some((frame) => frame.type === 'ack' && frame.id === 'op-2'));
    expect(frames.filter((frame) => frame.type === 'error' || frame.type === 'reject')).toEqual([]);

    const response = await postJson(base, '/api/ops', {
      op: { type: 'add', target: { all: true }, tags: ['blue sky'] },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ count: 30 });
    // The answer came once the op was durable; the captions' failure follows it.
    await waitUntil(() => dataset.captionProgress().failed === 30);
    expect(await captionsPending(base)).toBe(30);
    const report = (await (await fetch(`${base}/api/check`)).json()) as CheckReport;
    const waiting = report.problems.find((problem) => problem.message.includes('still waiting'));
    expect(waiting?.message).toContain('is full (DISK_FULL)');
    expect(waiting?.message).toContain('they are written automatically once space is freed');
    // Another op while the disk is full is accepted too.
    const second = await postJson(base, '/api/ops', {
      op: { type: 'remove', target: { all: true }, tags: ['blue sky'] },
    });
    expect(second.status).toBe(200);

    await disk.free();
    await captionsWritten(base);
    expect(await captionsPending(base)).toBe(0);
  });

  it('serves a thumbnail whose cache cannot be written', async () => {
    const disk = await mount(16 * 1024 * 1024);
    const dataset = await splitDataset(disk, 2);
    const thumbs = await mount(1024 * 1024);
    await bindMount(thumbs.dir, path.join(dataset.dir, '.civtag', 'thumbs'));
    await thumbs.fill();
    const { base } = await startServer(dataset, cleanUps);
    const image = dataset.images()[0];
    const response = await fetch(`${base}/api/images/${image?.id}/thumb`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
  });

  it('says DISK_FULL in one line, naming the dataset folder, for an import that does not fit', async () => {
    const root = await scratchFolder(cleanUps);
    const source = path.join(root, 'incoming', 'batch');
    // Noise: each PNG some 190 KB, more than the disk holds for all four.
    await mkdir(source, { recursive: true });
    for (let index = 0; index < 4; index += 1) {
      await sharp({
        create: {
          width: 256,
          height: 256,
          channels: 3,
          background: { r: index * 60, g: 90, b: 160 },
          noise: { type: 'gaussian', mean: 128, sigma: 40 },
        },
      })
        .png()
        .toFile(path.join(source, `noise-${index}.png`));
    }
    const disk = await mount(256 * 1024);
    const out = path.join(disk.dir, 'dataset');

    const cli = await runCliInProcess(['import', source, '--out', out]);
    expect(cli.code).toBe(1);
    const lines = cli.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^civtag import: Not enough space for this import on the disk holding the dataset ${out}: it needs about .* and .* are free\\.`,
      ),
    );
    const json = await runCliInProcess(['import', source, '--out', out, '--json']);
    const answer = JSON.parse(json.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'DISK_FULL', details: { path: out } },
    });
    expect(answer.error.details.bytesNeeded).toBeGreaterThan(answer.error.details.bytesFree);

    // The server's import job says the same in its status.
    const dataset = await openDataset(out);
    cleanUps.push(() => dataset.close());
    const { base } = await startServer(dataset, cleanUps, {
      importRoots: [path.join(root, 'incoming')],
    });
    const started = await postJson(base, '/api/imports', { source });
    const { jobId } = (await started.json()) as { jobId: string };
    let progress: ImportProgress | undefined;
    await waitUntil(async () => {
      progress = (await (await fetch(`${base}/api/imports/${jobId}`)).json()) as ImportProgress;
      return progress.state !== 'running';
    });
    expect(progress?.state).toBe('failed');
    expect(progress?.failures.at(-1)).toMatchObject({ path: out, code: 'DISK_FULL' });
    expect(progress?.failures.at(-1)?.message).toContain('Not enough space for this import');
  });
});
