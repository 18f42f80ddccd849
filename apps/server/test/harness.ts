import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ImageRecord, ImagesPage } from '@civtag/api-models';
import type { Dataset } from '@civtag/core';
import { createDataset, openDataset } from '@civtag/core';
import { parseCaption } from '@civtag/tags';
import { createClient } from '@civtag/ws-client';
import type { Change } from '@civtag/ws-protocol';
import sharp from 'sharp';
import { WebSocket } from 'ws';
import type { CivtagServer, CreateServerOptions } from '../src/index.js';
import { createServer } from '../src/index.js';

/** The repository root, found from this file. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The bundled command line that `pnpm build` makes. */
export const cliPath = path.join(repoRoot, 'apps/server/dist/cli.js');

/** Fails with what to do when the bundle is missing (the pipeline builds before testing). */
export function requireBuiltCli(): string {
  if (!existsSync(cliPath)) {
    throw new Error(
      `${cliPath} is missing: run "pnpm build" (or "pnpm test", which builds first) before these tests.`,
    );
  }
  return cliPath;
}

/** A fresh temporary folder, removed by `cleanUp`. */
export async function scratchFolder(cleanUps: (() => Promise<void>)[]): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'civtag-server-'));
  cleanUps.push(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

/** Writes `count` small PNGs of distinct colours into `folder`; `first` shifts the colours. */
export async function writeImages(folder: string, count: number, first = 0): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let index = first; index < first + count; index += 1) {
    const background = {
      r: (index * 67) % 256,
      g: (index * 131) % 256,
      b: (index * 29 + 80) % 256,
    };
    await sharp({ create: { width: 96 + index, height: 80, channels: 3, background } })
      .png()
      .toFile(path.join(folder, `sample-${index}.png`));
  }
}

/** Makes a dataset of `count` imported images in `root/dataset`, left open. */
export async function makeDataset(root: string, count: number): Promise<Dataset> {
  const source = path.join(root, 'source');
  await writeImages(source, count);
  const dataset = await createDataset(path.join(root, 'dataset'), { prefix: 'test' });
  const progress = await dataset.import(source).done;
  if (progress.failed > 0)
    throw new Error(`The test images did not import: ${JSON.stringify(progress.failures)}`);
  return dataset;
}

/** A server on a free port over `dataset`, closed by `cleanUp`. */
export async function startServer(
  dataset: Dataset,
  cleanUps: (() => Promise<void>)[],
  options: Partial<CreateServerOptions> = {},
): Promise<{
  server: CivtagServer;
  base: string;
  port: number;
  origin: string;
  socketUrl: string;
}> {
  const server = await createServer({ dataset, ...options });
  const { port } = await server.listen({ port: 0 });
  cleanUps.push(() => server.close());
  const origin = `http://127.0.0.1:${port}`;
  return { server, base: origin, port, origin, socketUrl: `ws://127.0.0.1:${port}/ws` };
}

/** Every image of the dataset over HTTP, all pages. */
export async function fetchAllImages(
  base: string,
  headers: Record<string, string> = {},
): Promise<{ revision: number; images: ImageRecord[] }> {
  const images: ImageRecord[] = [];
  let cursor: string | null = null;
  let revision = 0;
  do {
    const url: string = `${base}/api/images?limit=1000${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page = (await (await fetch(url, { headers })).json()) as ImagesPage;
    images.push(...page.images);
    revision = page.revision;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { revision, images };
}

/** The tags in each image's caption file on disk (none when there is no file). */
export async function captionTagsOnDisk(
  datasetDir: string,
  images: readonly ImageRecord[],
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  for (const image of images) {
    if (image.excluded) continue;
    const captionFile = path.join(datasetDir, image.file.replace(/\.[^.]+$/, '.txt'));
    const text = await readFile(captionFile, 'utf8').catch(() => '');
    result.set(image.id, parseCaption(text).tags);
  }
  return result;
}

/** A `civtag serve` child process and the JSON line it printed once listening. */
export interface ServeProcess {
  child: ChildProcess;
  port: number;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** A `civtag serve` child process started, before it listens: what it said so far. */
export interface LaunchedServe {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it printed on stderr so far (and on stdout after its first line). */
  output: () => string;
  /** Its JSON line, once it listens; rejects when it exits first. */
  ready: Promise<ServeProcess>;
}

/**
 * Starts `node dist/cli.js serve <args> --json` without waiting for it to listen, so that what
 * it says while it cannot start yet (a database that is down) can be read. `cli` runs another
 * copy of the bundle (a deployment), `bin` an installed `civtag` executable; `env` adds to the
 * environment.
 */
export function launchServe(
  args: string[],
  options: { cli?: string; bin?: string; env?: NodeJS.ProcessEnv } = {},
): LaunchedServe {
  const serveArgs = ['serve', ...args, '--json'];
  // `bin` is an installed `civtag` executable, run as a shell would (its shebang finds node).
  const [command, commandArgs] =
    options.bin === undefined
      ? [process.execPath, [options.cli ?? requireBuiltCli(), ...serveArgs]]
      : [options.bin, serveArgs];
  const child = spawn(command, commandArgs, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const lines: string[] = [];
  const output = () => lines.join('');
  child.stderr!.on('data', (chunk) => lines.push(String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const reader = createInterface({ input: child.stdout! });
  const ready = new Promise<string>((resolve, reject) => {
    reader.once('line', resolve);
    void exited.then(({ code }) =>
      reject(new Error(`civtag serve exited (${code}) before listening:\n${output()}`)),
    );
  }).then((first) => {
    reader.on('line', (line) => lines.push(`${line}\n`));
    const listening = JSON.parse(first) as { url: string; port: number };
    return { child, port: listening.port, url: listening.url, exited, output };
  });
  // A child that exits before listening is the caller's to report, through `ready`.
  ready.catch(() => undefined);
  return { child, exited, output, ready };
}

/** Starts `civtag serve <args> --json` (see {@link launchServe}) and waits for its URL. */
export async function spawnServe(
  args: string[],
  options: { cli?: string; bin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ServeProcess> {
  return launchServe(args, options).ready;
}

/** Waits until `predicate` holds, polling; the test's own timeout bounds the wait. */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  everyMs = 20,
): Promise<void> {
  while (!(await predicate())) await new Promise((resolve) => setTimeout(resolve, everyMs));
}

/**
 * Waits until the server has written every caption file queued behind the ops it answered
 * (`captionsPending` of `/api/health` is 0).
 */
export async function captionsWritten(base: string, headers: Record<string, string> = {}) {
  await waitUntil(async () => {
    const health = (await (await fetch(`${base}/api/health`, { headers })).json()) as {
      captionsPending?: number;
    };
    return health.captionsPending === 0;
  });
}

export { openDataset };

/** What a finished `civtag` command printed, and its exit code. */
export interface CivtagRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the bundled CLI (or an installed `civtag` executable, `bin`) in `cwd` and returns its exit
 * code and output, whatever the code.
 */
export async function runCivtag(
  args: string[],
  options: { cwd: string; bin?: string; env?: NodeJS.ProcessEnv },
): Promise<CivtagRun> {
  const [command, commandArgs] =
    options.bin === undefined
      ? [process.execPath, [requireBuiltCli(), ...args]]
      : [options.bin, args];
  try {
    const { stdout, stderr } = await promisify(execFile)(command, commandArgs, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CivtagRun;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Kills a `civtag serve` child (if still running) when the test's clean-up runs. */
export function stopOnCleanUp(serve: ServeProcess, cleanUps: (() => Promise<void>)[]): void {
  cleanUps.push(async () => {
    if (serve.child.exitCode === null && serve.child.signalCode === null)
      serve.child.kill('SIGKILL');
    await serve.exited;
  });
}

/** A small seeded generator, so a failure can be replayed. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A client's picture of the dataset: the images it fetched, then every change it was sent. */
export class ClientView {
  readonly tags = new Map<string, string[]>();
  revision: number;

  constructor(snapshot: { revision: number; images: { id: string; tags: string[] }[] }) {
    this.revision = snapshot.revision;
    for (const image of snapshot.images) this.tags.set(image.id, [...image.tags]);
  }

  apply(change: Change): void {
    if (change.revision <= this.revision) return;
    for (const image of change.changes) this.tags.set(image.imageId, [...image.tags]);
    this.revision = change.revision;
  }
}

/** A `@civtag/ws-client` on `url` from `start`, and the view it keeps; closed on clean-up. */
export function follow(
  url: string,
  clientId: string,
  start: { revision: number; images: ImageRecord[] },
  cleanUps: (() => Promise<void>)[],
) {
  const view = new ClientView(start);
  const client = createClient({
    url,
    WebSocket: WebSocket as never,
    clientId,
    since: start.revision,
  });
  client.on('change', (change: Change) => view.apply(change));
  cleanUps.push(async () => client.close());
  return { client, view };
}
