import { type ChildProcess, spawn } from 'node:child_process';
import type { ImageRecord, ImagesPage } from '@civtag/api-models';
import { cliPath } from './paths.js';

/** A `civtag serve` child process and where it listens. */
export interface RunningServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything it wrote on standard error, for failure messages. */
  stderr: () => string;
  /** SIGTERM (graceful shutdown) and wait for the exit; resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Starts `civtag serve <dataset> --json` and reads the one JSON line it prints once listening.
 * `port` 0 (the default) picks a free port; give the old port to restart on the same address.
 * `model` is a tagger folder (`--model`), for auto-tagging from the browser; `vocabulary` a
 * tag CSV (`--vocabulary`) for autocomplete and tag categories.
 */
export function startServer(
  dataset: string,
  options: { port?: number; importRoot?: string; model?: string; vocabulary?: string } = {},
): Promise<RunningServer> {
  const args = [cliPath, 'serve', dataset, '--port', String(options.port ?? 0), '--json'];
  if (options.importRoot !== undefined) args.push('--import-root', options.importRoot);
  if (options.vocabulary !== undefined) args.push('--vocabulary', options.vocabulary);
  if (options.model !== undefined) args.push('--model', options.model);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`civtag serve did not print its address within 60 s.\n${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`civtag serve exited with ${code} before listening.\n${stderr}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((candidate) => candidate.trim().startsWith('{'));
      if (line === undefined || !stdout.includes('\n')) return;
      clearTimeout(timer);
      const printed = JSON.parse(line) as { url: string; port: number };
      resolve({
        url: printed.url,
        port: printed.port,
        process: child,
        stderr: () => stderr,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}

/** Reads a server's JSON API from the test (what the browser sees, without the browser). */
export async function getJson<T>(server: RunningServer, route: string): Promise<T> {
  const response = await fetch(new URL(route, server.url));
  if (!response.ok)
    throw new Error(`GET ${route} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every image record, in grid order. */
export async function allImages(server: RunningServer): Promise<ImageRecord[]> {
  const page = await getJson<ImagesPage>(server, '/api/images?limit=5000');
  return page.images;
}
