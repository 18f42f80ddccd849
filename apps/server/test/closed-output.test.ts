import { execFile, spawn } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataset, requireBuiltCli, scratchFolder } from './harness.js';

const run = promisify(execFile);
const cleanUps: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

const IMAGES = 4;
const TAGS_PER_IMAGE = 900;
let root: string;
let datasetDir: string;

beforeAll(async () => {
  root = await scratchFolder(cleanUps);
  const dataset = await makeDataset(root, IMAGES);
  // 3,600 distinct tags: `stats` prints over 100 KB, more than a pipe holds.
  for (const [position, image] of dataset.images().entries()) {
    const tags = Array.from(
      { length: TAGS_PER_IMAGE },
      (_, index) => `tag ${position} number ${index} with a longer name`,
    );
    await dataset.apply({ type: 'add', target: { ids: [image.id] }, tags });
  }
  datasetDir = dataset.dir;
  await dataset.close();
}, 60_000);

/** A stack trace line, as Node prints for an unhandled error. */
const STACK_LINE = /^\s+at /m;

describe('the civtag command line with its output closed early', () => {
  it('ends quietly with exit 0 when the reader of stats stops after the first line', async () => {
    const child = spawn(process.execPath, [requireBuiltCli(), 'stats', datasetDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    // What `| head -1` does: read one line and close the pipe.
    lines.close();
    child.stdout.destroy();
    expect(first).toBe(`${IMAGES} images, ${IMAGES * TAGS_PER_IMAGE} distinct tags`);
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stderr).not.toContain('EPIPE');
  });

  /**
   * Runs the CLI with standard output on a pipe whose reading end is closed before it starts,
   * so that its very first write fails with EPIPE.
   */
  async function runWithClosedOutput(
    args: string[],
  ): Promise<{ code: number | null; stderr: string }> {
    const folder = await scratchFolder(cleanUps);
    const fifo = path.join(folder, 'output');
    await run('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY);
    closeSync(reader);
    const child = spawn(process.execPath, [requireBuiltCli(), ...args], {
      stdio: ['ignore', writer, 'pipe'],
      cwd: folder,
    });
    closeSync(writer);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stderr };
  }

  it.each([
    ['check', () => ['check', datasetDir]],
    ['stats --json', () => ['stats', datasetDir, '--json']],
    ['export --json', () => ['export', datasetDir, '--zip', 'out.zip', '--json']],
    ['--help', () => ['--help']],
    ['check --help', () => ['check', '--help']],
    ['--version', () => ['--version']],
  ])('ends %s quietly with exit 0 when its output is already closed', async (_, args) => {
    const { code, stderr } = await runWithClosedOutput(args());
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
