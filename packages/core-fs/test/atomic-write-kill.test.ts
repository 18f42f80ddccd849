import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sweepTempFiles } from '../src/sweep-temp-files.js';
import { buildScript } from './build-script.js';
import { makeTemporaryFolder, removeTemporaryFolder } from './corpus.js';

const KILLS = 40;
const SIZE = 256 * 1024;
let folder: string;
let script: string;

beforeAll(async () => {
  folder = await makeTemporaryFolder();
  script = await buildScript(
    fileURLToPath(new URL('./fixtures/rewrite-loop.ts', import.meta.url)),
    folder,
  );
});

afterAll(() => removeTemporaryFolder(folder));

/** Starts the rewriting child, lets it run for `delayMs` after its first write, then SIGKILLs it. */
async function runAndKill(target: string, delayMs: number, fsync: boolean): Promise<void> {
  const child = spawn(process.execPath, [script, target, String(SIZE), fsync ? '1' : '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) =>
      reject(new Error(`the rewriting child exited early with code ${code}`)),
    );
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

/** Kills a rewriting child `kills` times and checks the file after each kill. */
async function killRepeatedly(target: string, kills: number): Promise<Set<string>> {
  const complete = [Buffer.alloc(SIZE, 'A'), Buffer.alloc(SIZE, 'B')];
  await mkdir(path.dirname(target));
  await writeFile(target, complete[0]!);
  const seen = new Set<string>();
  for (let kill = 0; kill < kills; kill += 1) {
    await runAndKill(target, Math.floor(Math.random() * 25), kill % 4 === 0);
    const content = await readFile(target);
    const whole = complete.findIndex((candidate) => candidate.equals(content));
    expect(
      whole,
      `after kill ${kill} the file has ${content.length} bytes of mixed content`,
    ).not.toBe(-1);
    seen.add(whole === 0 ? 'A' : 'B');
  }
  // A kill during a write leaves a hidden temporary file; the sweep at open removes it.
  await sweepTempFiles(path.dirname(target));
  expect(await readdir(path.dirname(target))).toEqual([path.basename(target)]);
  return seen;
}

it('leaves the complete old or the complete new content whenever the writer is killed', async () => {
  // Four writers on four files at once, to keep the run short on a busy machine.
  const lanes = await Promise.all(
    ['first', 'second', 'third', 'fourth'].map((name) =>
      killRepeatedly(path.join(folder, name, 'caption.txt'), KILLS / 4),
    ),
  );
  expect(new Set(lanes.flatMap((seen) => [...seen])).size).toBe(2);
}, 120_000);
