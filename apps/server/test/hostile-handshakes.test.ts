import { request } from 'node:http';
import { connect } from 'node:net';
import type { Dataset } from '@civtag/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { makeDataset, scratchFolder, startServer } from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
let dataset: Dataset;
afterAll(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});
beforeAll(async () => {
  dataset = await makeDataset(await scratchFolder(cleanUps), 1);
  cleanUps.push(() => dataset.close());
});

/** Tries a socket upgrade with these headers; resolves with the HTTP status, or 101 when it opened. */
function upgrade(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    socket.on('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
    });
    socket.on('error', (error) => reject(error));
  });
}

/** A raw HTTP request (fetch would not let a test set Host). */
function httpStatus(
  port: number,
  options: { method?: string; path: string; headers: Record<string, string>; body?: string },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

describe('hostile handshakes on a loopback server', () => {
  let port: number;
  let host: string;
  beforeAll(async () => {
    ({ port } = await startServer(dataset, cleanUps, { closeDataset: false }));
    host = `127.0.0.1:${port}`;
  });

  it('opens a socket for its own page and for a client without an Origin', async () => {
    expect(await upgrade(port, '/ws', { host, origin: `http://${host}` })).toBe(101);
    expect(await upgrade(port, '/ws', { host: `localhost:${port}` })).toBe(101);
  });

  it('refuses a socket from a foreign Origin, a null Origin, or a look-alike name', async () => {
    for (const origin of [
      'https://evil.example',
      'null',
      `http://localhost.evil.com:${port}`,
      `http://127.0.0.1:${port}.evil.com`,
    ]) {
      expect(await upgrade(port, '/ws', { host, origin }), origin).toBe(403);
    }
  });

  it('refuses a foreign Host (DNS rebinding), for sockets and for plain requests', async () => {
    for (const foreign of [`evil.example:${port}`, `localhost.evil.com:${port}`]) {
      expect(await upgrade(port, '/ws', { host: foreign, origin: `http://${foreign}` })).toBe(403);
      expect(await httpStatus(port, { path: '/api/dataset', headers: { host: foreign } })).toBe(
        403,
      );
    }
  });

  it('answers a request line Node cannot parse with civtag’s error body, and closes', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          Buffer.from(`GET /api/\u00de\u0001 HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 'latin1'),
        );
      });
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
    });
    const [head, body] = answer.split('\r\n\r\n');
    expect(head?.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(head).toContain('Connection: close');
    expect(JSON.parse(body ?? '')).toEqual({
      error: {
        code: 'PROTOCOL',
        message: 'The request could not be read: it is not well-formed HTTP/1.1.',
      },
    });
  });

  it('refuses a state-changing request from a foreign or null Origin (CSRF)', async () => {
    const body = JSON.stringify({ op: { type: 'remove', target: { all: true }, tags: ['x'] } });
    for (const origin of ['https://evil.example', 'null']) {
      const status = await httpStatus(port, {
        method: 'POST',
        path: '/api/ops',
        headers: { host, origin, 'content-type': 'application/json' },
        body,
      });
      expect(status, origin).toBe(403);
    }
    const own = await httpStatus(port, {
      method: 'POST',
      path: '/api/ops',
      headers: { host, origin: `http://${host}`, 'content-type': 'application/json' },
      body,
    });
    expect(own).toBe(200);
  });
});

describe('hostile handshakes on an exposed server (token required)', () => {
  let port: number;
  let token: string;
  let host: string;
  beforeAll(async () => {
    const started = await startServer(dataset, cleanUps, {
      requireToken: true,
      closeDataset: false,
    });
    port = started.port;
    token = started.server.token!;
    host = `127.0.0.1:${port}`;
  });

  it('generates a token when none is given, and requires a given token even on loopback', async () => {
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    const proxied = await startServer(dataset, cleanUps, {
      token: 'behind-a-proxy',
      closeDataset: false,
    });
    const headers = { host: `127.0.0.1:${proxied.port}` };
    expect(await httpStatus(proxied.port, { path: '/api/dataset', headers })).toBe(401);
    const withToken = { ...headers, authorization: 'Bearer behind-a-proxy' };
    expect(await httpStatus(proxied.port, { path: '/api/dataset', headers: withToken })).toBe(200);
  });

  it('refuses sockets and requests without the token or with a wrong one', async () => {
    const origin = `http://${host}`;
    expect(await upgrade(port, '/ws', { host, origin })).toBe(401);
    expect(await upgrade(port, '/ws?token=wrong', { host, origin })).toBe(401);
    expect(
      await upgrade(port, '/ws', { host, origin, authorization: `Bearer ${token.slice(1)}x` }),
    ).toBe(401);
    expect(await upgrade(port, '/ws', { host, origin, cookie: `civtag_token_${port}=nope` })).toBe(
      401,
    );
    expect(await httpStatus(port, { path: '/api/dataset', headers: { host } })).toBe(401);
    expect(await httpStatus(port, { path: '/', headers: { host } })).toBe(401);
  });

  it('accepts the token as a header, a cookie or ?token=, and still refuses a foreign Origin with it', async () => {
    expect(await upgrade(port, `/ws?token=${token}`, { host, origin: `http://${host}` })).toBe(101);
    expect(await upgrade(port, '/ws', { host, authorization: `Bearer ${token}` })).toBe(101);
    expect(await upgrade(port, '/ws', { host, cookie: `civtag_token_${port}=${token}` })).toBe(101);
    expect(
      await upgrade(port, `/ws?token=${token}`, { host, origin: 'https://evil.example' }),
    ).toBe(403);
  });

  it('sets an HttpOnly SameSite=Strict cookie on the first visit with ?token= and drops the token from the URL', async () => {
    const response = await fetch(`http://${host}/?token=${token}&view=grid`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/?view=grid');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`civtag_token_${port}=${token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const next = await fetch(`http://${host}/api/dataset`, {
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(next.status).toBe(200);
  });

  it('names the cookie after the port, so two servers on one machine keep their own tokens', async () => {
    const other = await startServer(dataset, cleanUps, {
      token: 'the-other-servers-token',
      closeDataset: false,
    });
    const otherHost = `127.0.0.1:${other.port}`;
    /** The `name=value` of the cookie a first visit with `?token=` sets. */
    const firstVisit = async (base: string, secret: string) => {
      const response = await fetch(`${base}/?token=${secret}`, { redirect: 'manual' });
      return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
    };
    const ours = await firstVisit(`http://${host}`, token);
    const theirs = await firstVisit(`http://${otherHost}`, 'the-other-servers-token');
    expect(ours.split('=')[0]).toBe(`civtag_token_${port}`);
    expect(theirs.split('=')[0]).toBe(`civtag_token_${other.port}`);

    // A browser keeps cookies per host, not per port: it sends both cookies to both servers.
    const both = `${theirs}; ${ours}`;
    const status = (base: string, cookie: string) =>
      fetch(`${base}/api/dataset`, { headers: { cookie } }).then((response) => response.status);
    expect(await status(`http://${host}`, both)).toBe(200);
    expect(await status(`http://${otherHost}`, `${ours}; ${theirs}`)).toBe(200);
    expect(await upgrade(port, '/ws', { host, cookie: both })).toBe(101);
    // One server's cookie is no key to the other.
    expect(await status(`http://${otherHost}`, ours)).toBe(401);
    expect(await status(`http://${host}`, theirs)).toBe(401);
  });
});
