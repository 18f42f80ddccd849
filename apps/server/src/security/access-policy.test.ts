import { CivtagError, ErrorCode } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import type { AccessPolicyOptions, AccessRequest } from './access-policy.js';
import { createAccessPolicy } from './access-policy.js';

const PORT = 4747;

function policy(options: Partial<AccessPolicyOptions> = {}) {
  return createAccessPolicy({ bindHost: '127.0.0.1', port: () => PORT, ...options });
}

function request(
  headers: Record<string, string>,
  overrides: Partial<AccessRequest> = {},
): AccessRequest {
  return {
    method: 'GET',
    url: '/api/dataset',
    headers: { host: `127.0.0.1:${PORT}`, ...headers },
    upgrade: false,
    ...overrides,
  };
}

function refusal(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!CivtagError.isInstance(error)) throw error;
    return error.code;
  }
}

describe('the Host allow-list (DNS rebinding)', () => {
  it('accepts the loopback names and the bound host, with or without a port', () => {
    const open = policy({ bindHost: '127.0.0.2' });
    for (const host of [
      'localhost',
      'localhost:4747',
      '127.0.0.1:4747',
      '[::1]:4747',
      '127.0.0.2:4747',
      'LOCALHOST:4747',
    ]) {
      expect(refusal(() => open.authorize(request({ host })))).toBeUndefined();
    }
  });

  it('refuses foreign names, look-alikes and malformed headers', () => {
    const open = policy();
    for (const host of [
      'evil.com',
      'localhost.evil.com:4747',
      '127.0.0.1.nip.io',
      'user@localhost',
      'localhost/path',
      '',
    ]) {
      expect(refusal(() => open.authorize(request({ host })))).toBe(ErrorCode.FORBIDDEN);
    }
    expect(
      refusal(() => open.authorize({ method: 'GET', url: '/', headers: {}, upgrade: false })),
    ).toBe(ErrorCode.FORBIDDEN);
  });

  it('accepts a name given with --allow-host', () => {
    const open = policy({ allowHosts: ['studio.lan'] });
    expect(refusal(() => open.authorize(request({ host: 'studio.lan:4747' })))).toBeUndefined();
  });
});

describe('the Origin check (CSRF, cross-site WebSocket hijacking)', () => {
  const open = policy();

  it('lets reads through whatever their origin: a browser cannot read the answer cross-site', () => {
    expect(refusal(() => open.authorize(request({ origin: 'https://evil.com' })))).toBeUndefined();
  });

  it('refuses a state-changing request or an upgrade from a foreign, null or look-alike origin', () => {
    for (const origin of [
      'https://evil.com',
      'null',
      'http://localhost.evil.com:4747',
      'http://127.0.0.1:4747.evil.com',
      'file://',
      'http://localhost:9999',
    ]) {
      expect(refusal(() => open.authorize(request({ origin }, { method: 'POST' })))).toBe(
        ErrorCode.FORBIDDEN,
      );
      expect(refusal(() => open.authorize(request({ origin }, { upgrade: true })))).toBe(
        ErrorCode.FORBIDDEN,
      );
    }
  });

  it('accepts the server’s own origin under every allowed name, and a configured extra origin', () => {
    for (const origin of ['http://127.0.0.1:4747', 'http://localhost:4747', 'http://[::1]:4747']) {
      expect(
        refusal(() => open.authorize(request({ origin }, { method: 'POST' }))),
      ).toBeUndefined();
    }
    const withDevServer = policy({ allowOrigins: ['http://localhost:5173'] });
    expect(
      refusal(() =>
        withDevServer.authorize(request({ origin: 'http://localhost:5173' }, { upgrade: true })),
      ),
    ).toBeUndefined();
  });

  it('accepts a request without an Origin (scripts and the CLI send none)', () => {
    expect(refusal(() => open.authorize(request({}, { method: 'POST' })))).toBeUndefined();
  });
});

describe('the access token', () => {
  const token = 'a'.repeat(48);
  const guarded = policy({ token });

  it('refuses a request without a token, or with a wrong one', () => {
    expect(refusal(() => guarded.authorize(request({})))).toBe(ErrorCode.UNAUTHORIZED);
    expect(
      refusal(() => guarded.authorize(request({ authorization: `Bearer ${'b'.repeat(48)}` }))),
    ).toBe(ErrorCode.UNAUTHORIZED);
    expect(
      refusal(() => guarded.authorize(request({ cookie: `civtag_token_${PORT}=short` }))),
    ).toBe(ErrorCode.UNAUTHORIZED);
    expect(refusal(() => guarded.authorize(request({}, { url: '/?token=wrong' })))).toBe(
      ErrorCode.UNAUTHORIZED,
    );
  });

  it('accepts the token as a Bearer header, a cookie, or ?token= (which asks for the cookie)', () => {
    expect(guarded.authorize(request({ authorization: `Bearer ${token}` }))).toEqual({
      tokenFromQuery: false,
    });
    expect(
      guarded.authorize(request({ cookie: `theme=dark; civtag_token_${PORT}=${token}` })),
    ).toEqual({ tokenFromQuery: false });
    // Another server's cookie (another port) is not this server's token.
    expect(
      refusal(() => guarded.authorize(request({ cookie: `civtag_token_4748=${token}` }))),
    ).toBe(ErrorCode.UNAUTHORIZED);
    expect(guarded.tokenCookie()).toMatch(new RegExp(`^civtag_token_${PORT}=${token};`));
    expect(guarded.authorize(request({}, { url: `/?token=${token}` }))).toEqual({
      tokenFromQuery: true,
    });
  });

  it('checks Host and Origin before the token, so a right token from a foreign page is still refused', () => {
    const foreign = request(
      { authorization: `Bearer ${token}`, origin: 'https://evil.com' },
      { upgrade: true },
    );
    expect(refusal(() => guarded.authorize(foreign))).toBe(ErrorCode.FORBIDDEN);
  });
});
