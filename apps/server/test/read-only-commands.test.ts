import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServeProcess } from './harness.js';
import {
  captionsWritten,
  makeDataset,
  runCivtag,
  scratchFolder,
  spawnServe,
  stopOnCleanUp,
} from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

/** Every file and folder under `dir` with its size, modification time and content. */
async function fingerprint(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const lines = await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(entry.parentPath, entry.name);
      const status = await stat(full);
      const content = entry.isFile()
        ? createHash('sha256')
            .update(await readFile(full))
            .digest('hex')
        : 'folder';
      return `${path.relative(dir, full)} ${status.size} ${status.mtimeMs} ${content}`;
    }),
  );
  return lines.sort();
}

/** Runs the bundled CLI in `cwd`. */
function runCivtagIn(args: string[], cwd: string) {
  return runCivtag(args, { cwd });
}

/** A dataset of `count` images, served by `civtag serve` in a child process. */
async function serveNewDataset(count: number) {
  const root = await scratchFolder(cleanUps);
  const dataset = await makeDataset(root, count);
  const datasetDir = dataset.dir;
  await dataset.close();
  const serve = await spawnServe([datasetDir, '--port', '0']);
  stopOnCleanUp(serve, cleanUps);
  return { root, datasetDir, serve };
}

/** Posts an op to the server as a script would; returns the HTTP status. */
async function postOp(serve: ServeProcess, op: unknown): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${serve.port}/api/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ op }),
  });
  return response.status;
}

describe('the read-only commands while civtag serve holds the dataset', () => {
  it('check, stats and export read the server’s latest edit and write nothing; check --repair is refused', async () => {
    const { root, datasetDir, serve } = await serveNewDataset(3);

    expect(await postOp(serve, { type: 'add', target: { all: true }, tags: ['edited live'] })).toBe(
      200,
    );
    // The answer comes once the op is journaled; its captions are written behind it.
    await captionsWritten(`http://127.0.0.1:${serve.port}`);
    const before = await fingerprint(datasetDir);

    const check = await runCivtagIn(['check', datasetDir, '--json'], root);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, passed: true, imageCount: 3 });

    const stats = await runCivtagIn(['stats', datasetDir, '--json'], root);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({
      ok: true,
      imageCount: 3,
      tags: [{ tag: 'edited live', count: 3 }],
    });

    const exported = await runCivtagIn(['export', datasetDir, '--zip', 'live.zip', '--json'], root);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual({
      ok: true,
      format: 'zip',
      file: path.join(root, 'live.zip'),
    });
    // The zip holds each caption (deflated); the kohya export shows their text as plain files.
    const zip = await readFile(path.join(root, 'live.zip'));
    expect(zip.includes(Buffer.from('test_0003.txt'))).toBe(true);
    const kohya = await runCivtagIn(['export', datasetDir, '--kohya', 'kohya', '--json'], root);
    expect(kohya.code).toBe(0);
    const kohyaResult = JSON.parse(kohya.stdout) as { dir: string; captions: number };
    expect(kohyaResult.captions).toBe(3);
    expect(await readFile(path.join(kohyaResult.dir, 'test_0001.txt'), 'utf8')).toBe('edited live');

    // No lock taken, no caption rewritten, no compaction, no thumbnail: the folder is as it was.
    expect(await fingerprint(datasetDir)).toEqual(before);

    // Trying the lock (what a command that writes must do) is refused, naming the server.
    const repair = await runCivtagIn(['check', datasetDir, '--repair', '--json'], root);
    expect(repair.code).toBe(1);
    expect(JSON.parse(repair.stdout)).toMatchObject({
      ok: false,
      error: { code: 'SESSION_LOCKED' },
    });
    expect(repair.stderr).toContain(`in use by process ${serve.child.pid}`);
    expect(repair.stderr).toContain('stop the server first or use the web app');

    // And the server still holds the dataset and takes edits.
    expect(await postOp(serve, { type: 'add', target: { all: true }, tags: ['later'] })).toBe(200);
  });

  it('civtag settings shows what the server changed, and refuses to change settings the server holds', async () => {
    const { root, datasetDir, serve } = await serveNewDataset(2);
    expect(await postOp(serve, { type: 'settings', changes: { kohyaRepeats: 7 } })).toBe(200);

    const shown = await runCivtagIn(['settings', datasetDir, '--json'], root);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ ok: true, settings: { kohyaRepeats: 7 } });

    const refused = await runCivtagIn(['settings', datasetDir, '--repeats', '3'], root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`in use by process ${serve.child.pid}`);
    expect(refused.stderr).toContain('stop the server first or use the web app');
  });
});
