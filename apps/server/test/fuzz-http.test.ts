import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import type { Dataset } from '@civtag/core';
import { checkFuzzTarget, fuzzTimeout } from '@civtag/test-fuzz';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WireRequest } from './fuzz-http-requests.js';
import { knownRoutes, listRoutes, wireRequest } from './fuzz-http-requests.js';
import { watchFuzzProcess } from './fuzz-process.js';
import { makeDataset, scratchFolder, startServer } from './harness.js';

/**
 * Hostile bytes at every HTTP route of a live server, in both of its access modes: whatever
 * comes in, the answer is below 500, the process sees no unhandled rejection or exception, and
 * a refused request (4xx) leaves the dataset as it was.
 */

const { faults, cleanUps } = watchFuzzProcess();

/** Sends one request; resolves with its status and the first bytes of its body. */
function send(port: number, wire: WireRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method: wire.method,
        path: wire.path,
        // Framing said outright: Node's client would send a GET or HEAD body unframed.
        headers: {
          ...wire.headers,
          ...(wire.body === undefined
            ? {}
            : wire.chunked
              ? { 'transfer-encoding': 'chunked' }
              : { 'content-length': String(wire.body.length) }),
        },
        // A fresh connection a case: a socket the server closed after the last case is no finding.
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < 2000) chunks.push(chunk);
          kept += chunk.length;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8').slice(0, 2000),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      // Node's own parser answers a request line it cannot read with a 400 that has a body, even
      // to HEAD, which Node's client cannot parse: read that answer's status from the raw bytes.
      if (!String(error.code).startsWith('HPE_')) return reject(error);
      sendRaw(port, rawRequest(wire)).then(
        (statuses) => resolve({ status: Math.max(0, ...statuses), body: 'unparsable answer' }),
        reject,
      );
    });
    if (wire.body === undefined) outgoing.end();
    else if (wire.chunked) {
      const half = Math.floor(wire.body.length / 2);
      outgoing.write(wire.body.subarray(0, half));
      outgoing.end(wire.body.subarray(half));
    } else outgoing.end(wire.body);
  });
}

/** `wire` as the bytes of an HTTP/1.1 request, its body framed by its length. */
function rawRequest(wire: WireRequest): Buffer {
  const headers = { ...wire.headers, 'content-length': String(wire.body?.length ?? 0) };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return Buffer.concat([
    Buffer.from(`${wire.method} ${wire.path} HTTP/1.1\r\n${head.join('')}\r\n`, 'latin1'),
    wire.body ?? Buffer.alloc(0),
  ]);
}

/** Sends raw bytes on a fresh connection; resolves with every status line the server wrote. */
function sendRaw(port: number, bytes: Uint8Array): Promise<number[]> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      resolve([...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((match) => Number(match[1])));
    });
    // A request the server still waits on (a declared body never sent) is cut here.
    const timer = setTimeout(() => socket.destroy(), 1000);
    socket.end(bytes);
  });
}

interface FuzzedServer {
  dataset: Dataset;
  port: number;
  routes: ReturnType<typeof listRoutes>;
  known: ReturnType<typeof knownRoutes>;
  access: Record<string, string>;
}

async function startFuzzedServer(mode: 'localhost' | 'token'): Promise<FuzzedServer> {
  const root = await scratchFolder(cleanUps);
  const dataset = await makeDataset(root, 3);
  cleanUps.push(() => dataset.close());
  const importRoot = path.join(root, 'incoming');
  for (const folder of ['empty', 'also-empty/inner'])
    await mkdir(path.join(importRoot, folder), { recursive: true });
  const webRoot = path.join(root, 'web');
  await mkdir(path.join(webRoot, 'assets'), { recursive: true });
  await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>civtag</title>');
  await writeFile(path.join(webRoot, 'assets/app.js'), 'console.log(1);');
  const token = 'fuzz-access-token-0123456789';
  const { server, port } = await startServer(dataset, cleanUps, {
    closeDataset: false,
    importRoots: [importRoot],
    webRoot,
    ...(mode === 'token' ? { requireToken: true, token } : {}),
  });
  const access: Record<string, string> =
    mode === 'token'
      ? { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` }
      : { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` };
  const known = knownRoutes({
    imageIds: dataset.images().map((image) => image.id),
    importSources: [path.join(importRoot, 'empty'), path.join(importRoot, 'also-empty'), 'empty'],
  });
  return {
    dataset,
    port,
    routes: listRoutes(server.app.printRoutes({ commonPrefix: false })),
    known,
    access,
  };
}

/** The access headers of a case: the right ones mostly, sometimes missing or wrong. */
function accessHeaders(access: Record<string, string>): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(access) },
    fc.constant({}),
    fc.record(
      {
        host: fc.constantFrom('evil.example', 'localhost.evil.com', '', '[::1', access.host ?? ''),
        origin: fc.constantFrom('null', 'https://evil.example', 'http://127.0.0.1:1', 'x'),
        authorization: fc.constantFrom('Bearer', 'Bearer wrong', 'Basic Zm9vOmJhcg==', ''),
        cookie: fc.constantFrom('civtag_token_1=x', '=', 'a=b; civtag_token_0=%zz'),
      },
      { requiredKeys: [] },
    ),
  );
}

/** Waits until an import the server accepted (202 with a job id) has finished. */
async function importFinished(fuzzed: FuzzedServer, answer: { status: number; body: string }) {
  if (answer.status !== 202) return;
  const { jobId } = JSON.parse(answer.body) as { jobId?: string };
  if (jobId === undefined) return;
  for (;;) {
    const progress = await send(fuzzed.port, {
      method: 'GET',
      path: `/api/imports/${jobId}`,
      headers: fuzzed.access,
      body: undefined,
      chunked: false,
      describe: 'import progress',
    });
    if ((JSON.parse(progress.body) as { state?: string }).state !== 'running') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

for (const mode of ['localhost', 'token'] as const) {
  describe(`hostile HTTP requests to a live server (${mode} mode)`, () => {
    let fuzzed: FuzzedServer;
    beforeAll(async () => {
      fuzzed = await startFuzzedServer(mode);
    });

    it('knows every route the server has, so each is fuzzed', () => {
      const listed = fuzzed.routes.map((route) => `${route.method} ${route.path}`);
      expect(listed.filter((key) => !(key in fuzzed.known))).toEqual([]);
      expect(Object.keys(fuzzed.known).filter((key) => !listed.includes(key))).toEqual([]);
    });

    it(
      'answers every request below 500, and a refused one changes nothing',
      async () => {
        const { dataset, port } = fuzzed;
        const property = fc.asyncProperty(
          wireRequest(fuzzed.routes, fuzzed.known, accessHeaders(fuzzed.access)),
          async (wire) => {
            const revision = dataset.revision;
            const settings = JSON.stringify(dataset.settings);
            const { status, body } = await send(port, wire);
            expect(status, `${wire.describe} → ${status} ${body}`).toBeLessThan(500);
            expect(faults, wire.describe).toEqual([]);
            if (status >= 400) {
              const changed = JSON.stringify(dataset.changesSince(revision)).slice(0, 2000);
              expect(dataset.revision, `${wire.describe} → ${status} ${body}; ${changed}`).toBe(
                revision,
              );
              expect(JSON.stringify(dataset.settings)).toBe(settings);
            }
            if (wire.path.startsWith('/api/imports'))
              await importFinished(fuzzed, { status, body });
          },
        );
        await checkFuzzTarget(`server-http-${mode}`, property, 1000, { stateful: true });
        await expectHealthy(fuzzed);
      },
      fuzzTimeout(120_000),
    );

    it(
      'answers raw bytes and broken request lines below 500 and stays up',
      async () => {
        const { port } = fuzzed;
        const head = `GET /api/health HTTP/1.1\r\nHost: ${fuzzed.access.host}\r\n\r\n`;
        const property = fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 400 }),
            fc
              .tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.boolean())
              .map(([at, bytes, cut]) => {
                const text = Buffer.from(head, 'latin1');
                const offset = at % text.length;
                return cut
                  ? Buffer.concat([text.subarray(0, offset), bytes])
                  : Buffer.concat([text.subarray(0, offset), bytes, text.subarray(offset)]);
              }),
          ),
          async (bytes) => {
            const statuses = await sendRaw(port, bytes);
            for (const status of statuses)
              expect(status, JSON.stringify(Buffer.from(bytes).toString('latin1'))).toBeLessThan(
                500,
              );
            expect(faults).toEqual([]);
          },
        );
        await checkFuzzTarget(`server-raw-http-${mode}`, property, 300);
        await expectHealthy(fuzzed);
      },
      fuzzTimeout(120_000),
    );
  });
}

/** The fuzzed server still answers its health check. */
async function expectHealthy(fuzzed: { port: number; access: Record<string, string> }) {
  const health = await send(fuzzed.port, {
    method: 'GET',
    path: '/api/health',
    headers: fuzzed.access,
    body: undefined,
    chunked: false,
    describe: 'health',
  });
  expect(health.status).toBe(200);
}
