import { describe, expect, it } from 'vitest';
import {
  generateAccessToken,
  readCookie,
  tokenCookie,
  tokenCookieName,
  tokensMatch,
  withoutTokenParameter,
} from './access-token.js';

describe('access tokens', () => {
  it('generates long random tokens that differ each time', () => {
    const first = generateAccessToken();
    expect(first).toMatch(/^[0-9a-f]{48}$/);
    expect(generateAccessToken()).not.toBe(first);
  });

  it('matches only the exact token', () => {
    expect(tokensMatch('secret', 'secret')).toBe(true);
    expect(tokensMatch('secret', 'secreT')).toBe(false);
    expect(tokensMatch('secret', 'secret2')).toBe(false);
    expect(tokensMatch('secret', undefined)).toBe(false);
  });

  it('sets an HttpOnly, SameSite=Strict cookie named after the port and reads it back', () => {
    const cookie = tokenCookie('abc', 4747);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie.startsWith(`${tokenCookieName(4747)}=abc;`)).toBe(true);
    expect(tokenCookieName(4747)).toBe('civtag_token_4747');
    expect(readCookie(`a=1; ${cookie.split(';')[0]}; b=2`, 'civtag_token_4747')).toBe('abc');
    expect(readCookie('civtag_token_47470=x', 'civtag_token_4747')).toBeUndefined();
  });

  it('drops the token from a URL and keeps the rest', () => {
    expect(withoutTokenParameter('/?token=abc')).toBe('/');
    expect(withoutTokenParameter('/images?q=cat&token=abc')).toBe('/images?q=cat');
    expect(withoutTokenParameter('/plain')).toBe('/plain');
  });
});
