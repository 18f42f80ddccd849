import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServeProcess } from './harness.js';
import { makeDataset, requireBuiltCli, scratchFolder, spawnServe } from './harness.js';

const run = promisify(execFile);
const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

function stopOnCleanUp(serve: ServeProcess): void {
  cleanUps.push(async () => {
    if (serve.child.exitCode === null && serve.child.signalCode === null)
      serve.child.kill('SIGKILL');
    await serve.exited;
  });
}

/** Runs the bundled CLI and returns its exit code and output, whatever the code. */
async function civtag(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [requireBuiltCli(), ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

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

describe('the read-only commands while civtag serve holds the dataset', () => {
  it('check, stats and export read the server’s latest edit and write nothing; check --repair is refused', async () => {
    const root = await scratchFolder(cleanUps);
    const dataset = await makeDataset(root, 3);
    const datasetDir = dataset.dir;
    await dataset.close();
    const serve = await spawnServe([datasetDir, '--port', '0']);
    stopOnCleanUp(serve);

    const response = await fetch(`http://127.0.0.1:${serve.port}/api/ops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: { type: 'add', target: { all: true }, tags: ['edited live'] } }),
    });
    expect(response.status).toBe(200);
    const before = await fingerprint(datasetDir);

    const check = await civtag(['check', datasetDir, '--json'], root);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, passed: true, imageCount: 3 });

    const stats = await civtag(['stats', datasetDir, '--json'], root);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({
      ok: true,
      imageCount: 3,
      tags: [{ tag: 'edited live', count: 3 }],
    });

    const exported = await civtag(['export', datasetDir, '--zip', 'live.zip', '--json'], root);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual({
      ok: true,
      format: 'zip',
      file: path.join(root, 'live.zip'),
    });
    // The zip holds each caption (deflated); the kohya export shows their text as plain files.
    const zip = await readFile(path.join(root, 'live.zip'));
    expect(zip.includes(Buffer.from('test_0003.txt'))).toBe(true);
    const kohya = await civtag(['export', datasetDir, '--kohya', 'kohya', '--json'], root);
    expect(kohya.code).toBe(0);
    const kohyaResult = JSON.parse(kohya.stdout) as { dir: string; captions: number };
    expect(kohyaResult.captions).toBe(3);
    expect(await readFile(path.join(kohyaResult.dir, 'test_0001.txt'), 'utf8')).toBe('edited live');

    // No lock taken, no caption rewritten, no compaction, no thumbnail: the folder is as it was.
    expect(await fingerprint(datasetDir)).toEqual(before);

    // Trying the lock (what a command that writes must do) is refused, naming the server.
    const repair = await civtag(['check', datasetDir, '--repair', '--json'], root);
    expect(repair.code).toBe(1);
    expect(JSON.parse(repair.stdout)).toMatchObject({
      ok: false,
      error: { code: 'SESSION_LOCKED' },
    });
    expect(repair.stderr).toContain(`in use by process ${serve.child.pid}`);
    expect(repair.stderr).toContain('stop the server first or use the web app');

    // And the server still holds the dataset and takes edits.
    const after = await fetch(`http://127.0.0.1:${serve.port}/api/ops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: { type: 'add', target: { all: true }, tags: ['later'] } }),
    });
    expect(after.status).toBe(200);
  });

  it('civtag settings shows what the server changed, and refuses to change settings the server holds', async () => {
    const root = await scratchFolder(cleanUps);
    const dataset = await makeDataset(root, 2);
    const datasetDir = dataset.dir;
    await dataset.close();
    const serve = await spawnServe([datasetDir, '--port', '0']);
    stopOnCleanUp(serve);
    const response = await fetch(`http://127.0.0.1:${serve.port}/api/ops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: { type: 'settings', changes: { kohyaRepeats: 7 } } }),
    });
    expect(response.status).toBe(200);

    const shown = await civtag(['settings', datasetDir, '--json'], root);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ ok: true, settings: { kohyaRepeats: 7 } });

    const refused = await civtag(['settings', datasetDir, '--repeats', '3'], root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`in use by process ${serve.child.pid}`);
    expect(refused.stderr).toContain('stop the server first or use the web app');
  });
});
