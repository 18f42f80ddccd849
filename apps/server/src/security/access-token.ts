import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The name of the cookie that carries a server's access token after the first visit with
 * `?token=`: `civtag_token_4747` for the server on port 4747. Browsers keep cookies per host, not
 * per port, so without the port two civtag servers on one machine would overwrite each other's.
 */
export function tokenCookieName(port: number): string {
  return `civtag_token_${port}`;
}

/** A fresh access token: 24 random bytes as 48 hex characters, as Jupyter prints. */
export function generateAccessToken(): string {
  return randomBytes(24).toString('hex');
}

/** Compares two tokens in constant time, so the comparison leaks nothing of the expected one. */
export function tokensMatch(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const expectedBytes = Buffer.from(expected, 'utf8');
  const givenBytes = Buffer.from(given, 'utf8');
  return expectedBytes.length === givenBytes.length && timingSafeEqual(expectedBytes, givenBytes);
}

/** Where a request carried its token, when it carried one. */
export interface PresentedToken {
  value: string;
  source: 'header' | 'cookie' | 'query';
}

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(separator + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Finds the token a request presents: `Authorization: Bearer …`, then the cookie named
 * `cookieName` (see {@link tokenCookieName}; other servers' cookies are not looked at), then
 * `?token=` in the URL (a browser's first visit, or a WebSocket that cannot set headers).
 */
export function presentedTokens(
  url: string,
  headers: IncomingHttpHeaders,
  cookieName: string,
): PresentedToken[] {
  const tokens: PresentedToken[] = [];
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match !== null) tokens.push({ value: match[1]!, source: 'header' });
  }
  const cookie = readCookie(headers.cookie, cookieName);
  if (cookie !== undefined) tokens.push({ value: cookie, source: 'cookie' });
  const queryStart = url.indexOf('?');
  if (queryStart !== -1) {
    const query = new URLSearchParams(url.slice(queryStart + 1)).get('token');
    if (query !== null) tokens.push({ value: query, source: 'query' });
  }
  return tokens;
}

/** The `Set-Cookie` value that keeps a browser signed in to the server on `port`. */
export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}

/** `url` without its `token` query parameter: where a first visit is redirected to. */
export function withoutTokenParameter(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const parameters = new URLSearchParams(url.slice(queryStart + 1));
  parameters.delete('token');
  const rest = parameters.toString();
  return url.slice(0, queryStart) + (rest === '' ? '' : `?${rest}`);
}
