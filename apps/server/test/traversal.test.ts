import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { corpusPath } from '@civtag/test-corpus';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataset, scratchFolder, startServer } from './harness.js';

const CANARY = 'civtag-canary-5f0c1e7d9a';
const cleanUps: (() => Promise<void>)[] = [];
let app: FastifyInstance;
let payloads: string[];

afterAll(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

beforeAll(async () => {
  const corpus = corpusPath('traversal');
  const root = await scratchFolder(cleanUps);
  // Canaries outside the dataset, the import root and the web root, where payloads climb to.
  await writeFile(path.join(root, 'canary.txt'), CANARY);
  await writeFile(path.join(root, 'win.ini'), CANARY);
  const dataset = await makeDataset(root, 1);
  const importRoot = path.join(root, 'import-root');
  const webRoot = path.join(root, 'web');
  await mkdir(path.join(importRoot, 'photos'), { recursive: true });
  await mkdir(webRoot, { recursive: true });
  await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>civtag</title>');
  ({
    server: { app },
  } = await startServer(dataset, cleanUps, { importRoots: [importRoot], webRoot }));
  const lines = new Set<string>();
  for (const file of (await readdir(corpus)).filter((name) => name.endsWith('.txt'))) {
    for (const line of (await readFile(path.join(corpus, file), 'utf8')).split(/\r?\n/)) {
      if (line !== '') lines.add(line.replaceAll('{FILE}', 'canary.txt'));
    }
  }
  payloads = [...lines];
});

interface Probe {
  method: 'GET' | 'POST';
  url: string;
  body?: { source: string };
  /** A route that takes an id or a path answers 4xx; a filter query may also match nothing (200). */
  allowOk?: boolean;
}

/** Sends every probe (a few at a time) and returns the ones that misbehaved, with why. */
async function misbehaving(probes: Probe[]): Promise<string[]> {
  const problems: string[] = [];
  for (let start = 0; start < probes.length; start += 32) {
    await Promise.all(
      probes.slice(start, start + 32).map(async (probe) => {
        const response = await app.inject({
          method: probe.method,
          url: probe.url,
          headers: { host: '127.0.0.1' },
          ...(probe.body === undefined ? {} : { payload: probe.body }),
        });
        const what = `${probe.method} ${probe.url}${probe.body === undefined ? '' : ` ${probe.body.source}`}`;
        if (response.body.includes(CANARY)) problems.push(`${what}: answered the canary`);
        const status = response.statusCode;
        if (status >= 500 || (status < 400 && probe.allowOk !== true))
          problems.push(`${what}: ${status}`);
      }),
    );
  }
  return problems;
}

describe('the path-traversal corpus', () => {
  it('has payloads to send', () => {
    expect(payloads.length).toBeGreaterThan(1400);
  });

  it('never reaches a file outside the dataset through a route that takes an id', async () => {
    const probes = payloads.flatMap((payload): Probe[] => {
      const id = encodeURIComponent(payload);
      return [
        `/api/images/${id}`,
        `/api/images/${id}/thumb`,
        `/api/images/${id}/file`,
        `/api/imports/${id}`,
      ].map((url) => ({ method: 'GET', url }));
    });
    expect(await misbehaving(probes)).toEqual([]);
  });

  it('never reaches a file outside the dataset through a query parameter', async () => {
    const probes = payloads.flatMap((payload): Probe[] => {
      const value = encodeURIComponent(payload);
      return [
        { method: 'GET', url: `/api/images?q=${value}`, allowOk: true },
        { method: 'GET', url: `/api/images?cursor=${value}` },
        { method: 'GET', url: `/api/changes?since=${value}` },
        { method: 'GET', url: `/api/export?format=${value}` },
      ];
    });
    expect(await misbehaving(probes)).toEqual([]);
  });

  it('never imports from outside the import roots', async () => {
    const probes = payloads.map(
      (payload): Probe => ({ method: 'POST', url: '/api/imports', body: { source: payload } }),
    );
    expect(await misbehaving(probes)).toEqual([]);
  });

  it('never serves a file outside the web app folder, whatever the raw path', async () => {
    const probes = payloads.flatMap((payload): Probe[] => {
      const url = payload.startsWith('/') ? payload : `/${payload}`;
      // Only what an HTTP client can put on a request line; the SPA answers other pages with index.html.
      if (!/^[\x21-\x7e]*$/.test(url) || /[?#]/.test(url) || !URL.canParse(url, 'http://127.0.0.1'))
        return [];
      return [{ method: 'GET', url, allowOk: true }];
    });
    expect(probes.length).toBeGreaterThan(500);
    expect(await misbehaving(probes)).toEqual([]);
  });
});
