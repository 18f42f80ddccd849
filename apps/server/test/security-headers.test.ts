import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataset, scratchFolder, startServer } from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
let base: string;
let port: number;
beforeAll(async () => {
  const dataset = await makeDataset(await scratchFolder(cleanUps), 1);
  ({ base, port } = await startServer(dataset, cleanUps));
});
afterAll(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

describe('security headers', () => {
  it('sends a strict Content-Security-Policy without HSTS or upgrade-insecure-requests', async () => {
    const response = await fetch(`${base}/`);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("img-src 'self' blob: data:");
    expect(policy).toContain(`connect-src 'self' ws://127.0.0.1:${port} wss://127.0.0.1:${port}`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body over the limit with 413 and the TOO_LARGE code', async () => {
    const response = await fetch(`${base}/api/ops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        op: { type: 'set', imageId: 'x', tags: ['a'.repeat(9 * 1024 * 1024)] },
      }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'TOO_LARGE' } });
  });

  it('refuses a form post (no JSON) so a cross-site form cannot change anything', async () => {
    const response = await fetch(`${base}/api/ops`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"op":{"type":"remove","target":{"all":true},"tags":["x"]}}',
    });
    expect(response.status).toBe(415);
  });
});
